package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Follows CPython 3.13's Lib/test/test_asyncio/test_locks.py, SemaphoreTests; each test names the case it
 * follows.
 */
class LoopSemaphoreTest {

    private static <T> T run(Coroutine<T> main) {
        return EventLoops.run(new VirtualClock(), main);
    }

    private static void yieldOnce() {
        Async.sleep(Duration.ZERO);
    }

    private static Task<Void> acquirer(LoopSemaphore semaphore) {
        return Async.createTask(() -> {
            semaphore.acquire();
            return null;
        });
    }

    /** SemaphoreTests.test_semaphore_value and test_initial_value_zero. */
    @Test
    void aNegativeInitialValueIsRefused() {
        assertThatThrownBy(() -> new LoopSemaphore(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Semaphore initial value must be >= 0, but value was -1");
        assertThat(new LoopSemaphore(0).locked()).isTrue();
    }

    /** SemaphoreTests.test_semaphore and test_acquire: at most value holders at a time. */
    @Test
    void atMostValueHoldersRunAtATime() {
        VirtualClock clock = new VirtualClock();
        int most = EventLoops.run(clock, () -> {
            LoopSemaphore semaphore = new LoopSemaphore(2);
            int[] inside = new int[2];
            List<Task<Object>> tasks = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                tasks.add(Async.createTask(() -> semaphore.withPermit(() -> {
                    inside[1] = Math.max(inside[1], ++inside[0]);
                    Async.sleep(Duration.ofSeconds(1));
                    inside[0]--;
                    return null;
                })));
            }
            for (Task<Object> task : tasks) {
                Async.await(task);
            }
            assertThat(semaphore.availablePermits()).isEqualTo(2);
            return inside[1];
        });
        assertThat(most).isEqualTo(2);
        assertThat(clock.nanoTime() - new VirtualClock().nanoTime())
                .isEqualTo(Duration.ofSeconds(3).toNanos());
    }

    /** SemaphoreTests.test_acquire_cancel_before_awoken: cancelled waiters are skipped, one permit wakes one. */
    @Test
    void cancelledWaitersAreSkippedAndOnePermitWakesOne() {
        run(() -> {
            LoopSemaphore semaphore = new LoopSemaphore(0);
            Task<Void> t1 = acquirer(semaphore);
            Task<Void> t2 = acquirer(semaphore);
            Task<Void> t3 = acquirer(semaphore);
            Task<Void> t4 = acquirer(semaphore);
            yieldOnce();
            t1.cancel();
            t2.cancel();
            semaphore.release();
            yieldOnce();
            yieldOnce();
            assertThat(t3.isDone()).isTrue();
            assertThat(t4.isDone()).isFalse();
            t4.cancel();
            yieldOnce();
            return null;
        });
    }

    /** SemaphoreTests.test_acquire_hang: a cancelled first waiter does not keep the permit from the second. */
    @Test
    void aCancelledFirstWaiterDoesNotHangTheSecond() {
        run(() -> {
            LoopSemaphore semaphore = new LoopSemaphore(0);
            Task<Void> t1 = acquirer(semaphore);
            Task<Void> t2 = acquirer(semaphore);
            yieldOnce();
            t1.cancel();
            semaphore.release();
            yieldOnce();
            yieldOnce();
            assertThat(semaphore.locked()).isTrue();
            assertThat(t2.isDone()).isTrue();
            return null;
        });
    }

    /** The no-lost-wake-up rule: a waiter cancelled after it was handed a permit hands it to the next. */
    @Test
    void aWaiterCancelledAfterItWasWokenHandsThePermitOn() {
        run(() -> {
            LoopSemaphore semaphore = new LoopSemaphore(0);
            Task<Void> t1 = acquirer(semaphore);
            Task<Void> t2 = acquirer(semaphore);
            yieldOnce();
            semaphore.release(); // hands the permit to t1 ...
            t1.cancel(); // ... which is cancelled before it runs
            yieldOnce();
            yieldOnce();
            assertThat(t1.isCancelled()).isTrue();
            assertThat(t2.isDone()).isTrue();
            assertThat(t2.isCancelled()).isFalse();
            assertThat(semaphore.availablePermits()).isZero();
            return null;
        });
    }

    /** SemaphoreTests.test_acquire_fifo_order. */
    @Test
    void permitsGoInArrivalOrder() {
        List<String> order = run(() -> {
            LoopSemaphore semaphore = new LoopSemaphore(1);
            List<String> log = new ArrayList<>();
            List<Task<?>> tasks = new ArrayList<>();
            for (String tag : List.of("c1", "c2", "c3")) {
                tasks.add(Async.createTask(() -> {
                    for (int round = 1; round <= 2; round++) {
                        semaphore.acquire();
                        log.add(tag + "_" + round);
                        Async.sleep(Duration.ofMillis(10));
                        semaphore.release();
                    }
                    return null;
                }));
            }
            for (Task<?> task : tasks) {
                Async.await(task);
            }
            return log;
        });
        assertThat(order).containsExactly("c1_1", "c2_1", "c3_1", "c1_2", "c2_2", "c3_2");
    }

    /** SemaphoreTests.test_acquire_fifo_order_2: a release by a holder does not let it overtake a woken waiter. */
    @Test
    void aHolderThatReleasesAndAcquiresAgainQueuesBehindWokenWaiters() {
        List<Integer> order = run(() -> {
            LoopSemaphore semaphore = new LoopSemaphore(1);
            List<Integer> log = new ArrayList<>();
            Task<?> t1 = Async.createTask(() -> {
                semaphore.acquire();
                return log.add(1);
            });
            Task<?> t2 = Async.createTask(() -> {
                semaphore.acquire();
                log.add(2);
                semaphore.release();
                semaphore.acquire();
                return log.add(4);
            });
            Task<?> t3 = Async.createTask(() -> {
                semaphore.acquire();
                return log.add(3);
            });
            yieldOnce();
            semaphore.release();
            semaphore.release();
            for (Task<?> task : List.of(t1, t2, t3)) {
                Async.await(task);
            }
            return log;
        });
        assertThat(order).containsExactly(1, 2, 3, 4);
    }

    /** SemaphoreTests.test_release_not_acquired (BoundedSemaphore) and test_release_no_waiters. */
    @Test
    void aBoundedSemaphoreRefusesAReleasePastItsValue() {
        LoopSemaphore bounded = LoopSemaphore.bounded(1).withName("connections");
        assertThatThrownBy(bounded::release)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("BoundedSemaphore released too many times: LoopSemaphore 'connections' has all its 1"
                        + " permits free already");
        LoopSemaphore plain = new LoopSemaphore(1);
        plain.release();
        assertThat(plain.availablePermits()).isEqualTo(2);
    }
}
