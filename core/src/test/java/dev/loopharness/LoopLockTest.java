package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** Follows CPython 3.13's Lib/test/test_asyncio/test_locks.py, LockTests; each test names the case it follows. */
class LoopLockTest {

    private static <T> T run(Coroutine<T> main) {
        return EventLoops.run(new VirtualClock(), main);
    }

    private static void yieldOnce() {
        Async.sleep(Duration.ZERO);
    }

    /** LockTests.test_lock_by_with_statement and test_context_manager: withLock releases however it ends. */
    @Test
    void withLockHoldsTheLockForTheBodyAndReleasesItOnFailure() {
        LoopLock lock = new LoopLock();
        IllegalArgumentException failure = new IllegalArgumentException("boom");
        Throwable thrown = run(() -> {
            assertThat(lock.withLock(() -> lock.locked())).isTrue();
            assertThat(lock.locked()).isFalse();
            try {
                lock.withLock(() -> {
                    throw failure;
                });
                return null;
            } catch (IllegalArgumentException e) {
                return e;
            }
        });
        assertThat(thrown).isSameAs(failure);
        assertThat(lock.locked()).isFalse();
        assertThatThrownBy(() -> lock.withLock(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("body must not be null");
    }

    /** LockTests.test_acquire: waiters acquire in arrival order. */
    @Test
    void waitersAcquireInArrivalOrder() {
        List<String> order = run(() -> {
            LoopLock lock = new LoopLock();
            List<String> log = new ArrayList<>();
            lock.acquire();
            List<Task<?>> tasks = new ArrayList<>();
            for (String name : List.of("t1", "t2", "t3")) {
                tasks.add(Async.createTask(() -> lock.withLock(() -> {
                    log.add(name);
                    Async.sleep(Duration.ofSeconds(1));
                    return null;
                })));
            }
            yieldOnce();
            Task<?> late = Async.createTask(() -> lock.withLock(() -> log.add("late")));
            lock.release();
            for (Task<?> task : tasks) {
                Async.await(task);
            }
            Async.await(late);
            return log;
        });
        assertThat(order).containsExactly("t1", "t2", "t3", "late");
    }

    /** LockTests.test_acquire_cancel: a cancelled waiter does not get the lock. */
    @Test
    void aCancelledWaiterDoesNotAcquire() {
        boolean locked = run(() -> {
            LoopLock lock = new LoopLock();
            lock.acquire();
            Task<?> waiter = Async.createTask(() -> {
                lock.acquire();
                return null;
            });
            yieldOnce();
            waiter.cancel();
            lock.release();
            assertThatThrownBy(() -> Async.await(waiter)).isInstanceOf(CancellationException.class);
            return lock.locked();
        });
        assertThat(locked).isFalse();
    }

    /** LockTests.test_cancel_race: a release skips a waiter cancelled but not yet gone. */
    @Test
    void releaseSkipsAWaiterCancelledAtTheSameTime() {
        run(() -> {
            LoopLock lock = new LoopLock();
            LoopFuture<Void> blocker = Async.loop().createFuture();
            Task<?> a = Async.createTask(() -> lock.withLock(() -> Async.await(blocker)));
            yieldOnce();
            assertThat(lock.locked()).isTrue();
            Task<?> b = Async.createTask(() -> lock.withLock(() -> "b"));
            Task<?> c = Async.createTask(() -> lock.withLock(() -> "c"));
            yieldOnce();
            blocker.setResult(null);
            b.cancel();
            yieldOnce();
            assertThat(a.isDone()).isTrue();
            assertThat(b.isCancelled()).isTrue();
            return Async.await(c);
        });
    }

    /** LockTests.test_cancel_release_race: cancelling one waiter as the lock is released wakes one other. */
    @Test
    void cancellingAWaiterWhileReleasingLetsOnlyOneTaskIn() {
        run(() -> {
            LoopLock lock = new LoopLock();
            int[] acquired = new int[1];
            lock.acquire();
            List<Task<?>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                tasks.add(Async.createTask(() -> {
                    lock.acquire();
                    return ++acquired[0];
                }));
            }
            yieldOnce();
            Async.loop().callSoon(() -> {
                tasks.get(0).cancel();
                lock.release();
            });
            assertThatThrownBy(() -> Async.await(tasks.get(0))).isInstanceOf(CancellationException.class);
            assertThat(acquired[0]).isEqualTo(1);
            assertThat(tasks.get(1).isDone()).isTrue();
            tasks.get(2).cancel();
            yieldOnce();
            assertThat(tasks.get(2).isCancelled()).isTrue();
            return null;
        });
    }

    /** LockTests.test_finished_waiter_cancelled: a waiter cancelled as it is woken passes the lock on. */
    @Test
    void aWaiterCancelledAfterItWasWokenPassesTheLockOn() {
        run(() -> {
            LoopLock lock = new LoopLock();
            lock.acquire();
            Task<?> b = Async.createTask(() -> lock.withLock(() -> "b"));
            Task<String> c = Async.createTask(() -> lock.withLock(() -> "c"));
            yieldOnce();
            lock.release(); // wakes b ...
            b.cancel(); // ... which is cancelled before it runs: no lost wake-up, c gets the lock
            assertThat(Async.await(c)).isEqualTo("c");
            assertThat(b.isCancelled()).isTrue();
            assertThat(lock.locked()).isFalse();
            return null;
        });
    }

    /** LockTests.test_release_not_acquired. */
    @Test
    void releasingAnUnheldLockIsRefused() {
        LoopLock lock = new LoopLock().withName("ledger");
        assertThatThrownBy(lock::release)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Lock is not acquired: release() called on LoopLock 'ledger', which nobody holds");
    }

    /** No owner, as asyncio: a callback may release a lock a task holds. */
    @Test
    void aCallbackMayReleaseALockATaskHolds() {
        String got = run(() -> {
            LoopLock lock = new LoopLock();
            lock.acquire();
            Async.loop().callLater(Duration.ofSeconds(1), lock::release);
            lock.acquire(); // waits for the callback, not for itself forever
            return "acquired at " + Duration.ofNanos(Async.loop().time()).toSeconds();
        });
        assertThat(got).isEqualTo("acquired at 1");
    }

    /** asyncio's mixins._LoopBoundMixin (test_locks' loop-binding checks). */
    @Test
    void aLockThatWaitedOnOneLoopRefusesWaitsOnAnother() {
        LoopLock lock = new LoopLock().withName("ledger");
        EventLoop first = EventLoops.newEventLoop(new VirtualClock());
        try {
            first.runUntilComplete(() -> {
                lock.acquire();
                Task<?> waiter = Async.createTask(() -> {
                    lock.acquire();
                    return null;
                });
                yieldOnce();
                waiter.cancel();
                yieldOnce();
                lock.release();
                return null;
            });
            assertThatThrownBy(() -> EventLoops.run(() -> {
                        lock.acquire(); // free: no wait, no check
                        Task<?> other = Async.createTask(() -> {
                            lock.acquire();
                            return null;
                        });
                        return Async.await(other);
                    }))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith(
                            "LoopLock 'ledger' is bound to a different event loop: it first waited on " + first);
        } finally {
            first.close();
        }
    }
}
