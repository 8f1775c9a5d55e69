package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** Follows CPython 3.13's Lib/test/test_asyncio/test_locks.py, EventTests; each test names the case it follows. */
class LoopEventTest {

    private static <T> T run(Coroutine<T> main) {
        return EventLoops.run(new VirtualClock(), main);
    }

    /** EventTests.test_wait: set wakes every waiter, in arrival order. */
    @Test
    void setWakesEveryWaiterInArrivalOrder() {
        List<String> woken = run(() -> {
            LoopEvent event = new LoopEvent();
            List<String> log = new ArrayList<>();
            List<Task<?>> tasks = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                tasks.add(Async.createTask(() -> {
                    event.await();
                    return log.add(name);
                }));
            }
            Async.sleep(Duration.ofSeconds(1));
            assertThat(log).isEmpty();
            event.set();
            for (Task<?> task : tasks) {
                Async.await(task);
            }
            return log;
        });
        assertThat(woken).containsExactly("a", "b", "c");
    }

    /** EventTests.test_wait_on_set. */
    @Test
    void awaitOnASetEventReturnsAtOnceAnywhereOnTheLoop() {
        LoopEvent event = new LoopEvent();
        event.set();
        assertThat(event.isSet()).isTrue();
        event.await(); // no wait: works on a plain thread too
        assertThat(run(() -> {
                    event.await();
                    return Async.loop().time();
                }))
                .isEqualTo(new VirtualClock().nanoTime());
    }

    /** EventTests.test_wait_cancel: a cancelled waiter leaves; the others are still woken. */
    @Test
    void aCancelledWaiterLeavesAndTheOthersAreStillWoken() {
        run(() -> {
            LoopEvent event = new LoopEvent();
            Task<?> cancelled = Async.createTask(() -> {
                event.await();
                return null;
            });
            Task<String> other = Async.createTask(() -> {
                event.await();
                return "woken";
            });
            Async.sleep(Duration.ZERO);
            cancelled.cancel();
            assertThatThrownBy(() -> Async.await(cancelled)).isInstanceOf(CancellationException.class);
            event.set();
            assertThat(Async.await(other)).isEqualTo("woken");
            return null;
        });
    }

    /** EventTests.test_clear and test_clear_with_waiters: a waiter woken before a clear still returns. */
    @Test
    void clearDoesNotTakeBackAWakeUp() {
        run(() -> {
            LoopEvent event = new LoopEvent();
            Task<String> waiter = Async.createTask(() -> {
                event.await();
                return "returned";
            });
            Async.sleep(Duration.ZERO);
            event.set();
            event.clear();
            assertThat(event.isSet()).isFalse();
            assertThat(Async.await(waiter)).isEqualTo("returned");
            return null;
        });
    }

    /** asyncio's mixins._LoopBoundMixin: "is bound to a different event loop". */
    @Test
    void anEventThatWaitedOnOneLoopRefusesWaitsOnAnother() {
        LoopEvent event = new LoopEvent().withName("ready");
        EventLoop first = EventLoops.newEventLoop(new VirtualClock());
        try {
            Task<?> waiter = first.createTask(() -> {
                event.await();
                return null;
            });
            first.runUntilComplete(() -> {
                Async.sleep(Duration.ZERO);
                return null;
            });
            assertThatThrownBy(() -> EventLoops.run(() -> {
                        event.await();
                        return null;
                    }))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith(
                            "LoopEvent 'ready' is bound to a different event loop: it first waited on " + first);
            waiter.cancel();
        } finally {
            first.close();
        }
    }
}
