package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/**
 * Follows CPython 3.13's Lib/test/test_asyncio/test_locks.py, ConditionTests; each test names the case it
 * follows.
 */
class LoopConditionTest {

    private static <T> T run(Coroutine<T> main) {
        return EventLoops.run(new VirtualClock(), main);
    }

    private static void yieldOnce() {
        Async.sleep(Duration.ZERO);
    }

    private static Task<Object> waiterLogging(LoopCondition condition, List<String> log, String name) {
        return Async.createTask(() -> condition.withLock(() -> {
            condition.await();
            assertThat(condition.locked()).isTrue();
            return log.add(name);
        }));
    }

    /** ConditionTests.test_wait and test_notify: signals wake waiters one by one, in arrival order. */
    @Test
    void signalWakesWaitersInArrivalOrderAndEachTakesTheLockBack() {
        List<String> woken = run(() -> {
            LoopCondition condition = new LoopCondition();
            List<String> log = new ArrayList<>();
            List<Task<Object>> tasks = new ArrayList<>();
            for (String name : List.of("t1", "t2", "t3")) {
                tasks.add(waiterLogging(condition, log, name));
            }
            yieldOnce();
            assertThat(condition.locked()).isFalse();
            condition.withLock(() -> {
                condition.signal(1);
                return null;
            });
            yieldOnce();
            assertThat(log).containsExactly("t1");
            condition.withLock(() -> {
                condition.signal(2);
                return null;
            });
            for (Task<Object> task : tasks) {
                Async.await(task);
            }
            return log;
        });
        assertThat(woken).containsExactly("t1", "t2", "t3");
    }

    /** ConditionTests.test_notify_all. */
    @Test
    void signalAllWakesEveryWaiter() {
        List<String> woken = run(() -> {
            LoopCondition condition = new LoopCondition();
            List<String> log = new ArrayList<>();
            List<Task<Object>> tasks = List.of(waiterLogging(condition, log, "a"), waiterLogging(condition, log, "b"));
            yieldOnce();
            condition.withLock(() -> {
                condition.signalAll();
                return null;
            });
            for (Task<Object> task : tasks) {
                Async.await(task);
            }
            return log;
        });
        assertThat(woken).containsExactly("a", "b");
    }

    /** ConditionTests.test_wait_unacquired, test_notify_unacquired and test_notify_all_unacquired. */
    @Test
    void awaitAndSignalWithoutTheLockAreRefused() {
        LoopCondition condition = new LoopCondition().withName("stock");
        assertThatThrownBy(condition::signalAll)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot notify on un-acquired lock: signalAll() on LoopCondition 'stock' needs its lock"
                        + " held; call it inside withLock(...)");
        assertThatThrownBy(() -> condition.signal(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot notify on un-acquired lock: signal()");
        assertThatThrownBy(() -> condition.signal(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("n must be >= 0, but n was -1");
        Throwable thrown = run(() -> {
            try {
                condition.await();
                return null;
            } catch (IllegalStateException e) {
                return e;
            }
        });
        assertThat(thrown)
                .hasMessage("cannot wait on un-acquired lock: await() on LoopCondition 'stock' needs its lock held;"
                        + " call it inside withLock(...)");
        assertThatThrownBy(() -> new LoopCondition(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("lock must not be null; to make one, use new LoopCondition()");
    }

    /** ConditionTests.test_wait_for: awaitUntil checks the predicate after each signal. */
    @Test
    void awaitUntilWaitsForThePredicate() {
        int[] stock = new int[1];
        run(() -> {
            LoopCondition condition = new LoopCondition();
            Task<Object> consumer = Async.createTask(() -> condition.withLock(() -> {
                condition.awaitUntil(() -> stock[0] >= 2);
                return --stock[0];
            }));
            for (int i = 0; i < 2; i++) {
                yieldOnce();
                assertThat(consumer.isDone()).isFalse();
                condition.withLock(() -> {
                    stock[0]++;
                    condition.signalAll();
                    return null;
                });
            }
            return Async.await(consumer);
        });
        assertThat(stock[0]).isEqualTo(1);
    }

    /** ConditionTests.test_explicit_lock: conditions on one lock share it. */
    @Test
    void conditionsOnOneLockShareIt() {
        LoopLock lock = new LoopLock();
        LoopCondition first = new LoopCondition(lock);
        LoopCondition second = new LoopCondition(lock);
        run(() -> first.withLock(() -> {
            assertThat(second.locked()).isTrue();
            assertThat(lock.locked()).isTrue();
            return null;
        }));
        assertThat(lock.locked()).isFalse();
    }

    /** ConditionTests.test_wait_cancel and test_cancelled_error_re_aquire: a cancelled waiter holds the lock. */
    @Test
    void aCancelledWaiterTakesTheLockBackBeforeTheCancellationLeaves() {
        run(() -> {
            LoopCondition condition = new LoopCondition();
            boolean[] heldWhenCancelled = new boolean[1];
            Task<Object> waiter = Async.createTask(() -> condition.withLock(() -> {
                try {
                    condition.await();
                    return null;
                } catch (CancellationException e) {
                    heldWhenCancelled[0] = condition.locked();
                    throw e;
                }
            }));
            yieldOnce();
            condition.acquire(); // the waiter, once cancelled, must wait for this lock
            waiter.cancel();
            yieldOnce();
            assertThat(waiter.isDone()).isFalse();
            condition.release();
            assertThatThrownBy(() -> Async.await(waiter)).isInstanceOf(CancellationException.class);
            assertThat(heldWhenCancelled[0]).isTrue();
            assertThat(condition.locked()).isFalse();
            return null;
        });
    }

    /** ConditionTests.test_cancelled_wakeup: a waiter cancelled as it is signalled passes the signal on. */
    @Test
    void aWaiterCancelledAfterItWasSignalledPassesTheSignalOn() {
        int[] state = new int[1];
        run(() -> {
            LoopCondition condition = new LoopCondition();
            List<Task<Object>> consumers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                consumers.add(Async.createTask(() -> condition.withLock(() -> {
                    while (true) {
                        condition.awaitUntil(() -> state[0] != 0);
                        if (state[0] < 0) {
                            return null;
                        }
                        state[0]--;
                    }
                })));
            }
            yieldOnce();
            condition.acquire();
            state[0]++;
            condition.signal(1);
            consumers.get(0).cancel(); // signalled, then cancelled before it runs
            condition.release();
            Async.sleep(Duration.ofSeconds(1));
            assertThat(state[0]).isZero(); // the signal was passed on: the second consumer took the item
            condition.withLock(() -> {
                state[0] = -1;
                condition.signalAll();
                return null;
            });
            return Async.await(consumers.get(1));
        });
        assertThat(state[0]).isEqualTo(-1);
    }
}
