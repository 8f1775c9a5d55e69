package dev.loopharness.junit;

import static dev.loopharness.testing.EngineRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.EventLoops;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A test body starts on JUnit's thread, which drives the loop, and stays there: a body that never suspends needs
 * no other thread; one that suspends goes on there while a driver runs the loop, in the loop's order.
 */
class CallerThreadEngineTest {

    static final Map<String, Thread> THREADS = new ConcurrentHashMap<>();
    static final List<String> ORDER = new CopyOnWriteArrayList<>();

    @WithEventLoop
    static class DoesNotSuspend {
        @BeforeEach
        void setUp() {
            THREADS.put("beforeEach", Thread.currentThread());
        }

        @RepeatedTest(3)
        void body() {
            assertThat(EventLoops.getRunningLoop()).isNotNull();
            THREADS.put("body", Thread.currentThread());
        }
    }

    @WithEventLoop(scope = LoopScope.CLASS)
    static class DoesNotSuspendOnAClassLoop extends DoesNotSuspend {}

    @WithEventLoop(scope = LoopScope.SHARED)
    static class DoesNotSuspendOnTheSharedLoop extends DoesNotSuspend {}

    @Test
    void aBodyAndItsLifecycleMethodsRunOnJUnitsThreadInEveryScope() {
        for (Class<?> fixture : new Class<?>[] {
            DoesNotSuspend.class, DoesNotSuspendOnAClassLoop.class, DoesNotSuspendOnTheSharedLoop.class
        }) {
            THREADS.clear();
            run(fixture).assertStatistics(stats -> stats.succeeded(3).failed(0));
            assertThat(THREADS)
                    .as(fixture.getSimpleName())
                    .containsEntry("beforeEach", Thread.currentThread())
                    .containsEntry("body", Thread.currentThread());
        }
    }

    @WithEventLoop
    static class Suspends {
        @Test
        void body(EventLoop loop) throws Exception {
            Thread junit = Thread.currentThread();
            ORDER.add("body starts");
            loop.callSoon(() ->
                    ORDER.add("callback on " + (Thread.currentThread() == junit ? "JUnit's" : "another") + " thread"));
            Async.sleep(Duration.ofMillis(1));
            ORDER.add("body resumes on " + (Thread.currentThread() == junit ? "JUnit's" : "another") + " thread");
            ORDER.add(Async.await(Async.createTask(() -> "a task's result")));
        }
    }

    @WithEventLoop(scope = LoopScope.CLASS, clock = ClockMode.VIRTUAL)
    static class SuspendsOnAClassLoopInVirtualTime extends Suspends {}

    @Test
    void aBodyThatSuspendsResumesOnJUnitsThreadWhileADriverRunsTheLoopInOrder() {
        for (Class<?> fixture : new Class<?>[] {Suspends.class, SuspendsOnAClassLoopInVirtualTime.class}) {
            ORDER.clear();
            run(fixture).assertStatistics(stats -> stats.succeeded(1).failed(0));
            assertThat(ORDER)
                    .as(fixture.getSimpleName())
                    .containsExactly(
                            "body starts",
                            "callback on another thread",
                            "body resumes on JUnit's thread",
                            "a task's result");
        }
    }

    @WithEventLoop(timeout = "500ms")
    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class InterruptibleBlock {
        @Test
        void a_sleepsTooLong() throws InterruptedException {
            Thread.sleep(Duration.ofMinutes(5).toMillis());
        }

        @Test
        void b_afterwardsTheThreadIsNotInterrupted() {
            THREADS.put("next", Thread.currentThread());
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        }
    }

    @Test
    void aBodyBlockedOnJUnitsThreadIsInterruptedAtItsTimeoutAndTheInterruptStopsThere() {
        THREADS.clear();
        var events = run(InterruptibleBlock.class);
        events.assertStatistics(stats -> stats.succeeded(1).failed(1));
        assertThat(THREADS).containsEntry("next", Thread.currentThread());
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(dev.loopharness.testing.EngineRuns.failureOf(events))
                .isInstanceOf(LoopTimeoutError.class)
                .hasMessageStartingWith("Test \"InterruptibleBlock.a_sleepsTooLong()\" did not complete within PT0.5S"
                        + " of real time, and its coroutine blocked the event loop at ")
                .hasMessageContaining("so its thread was interrupted.");
    }
}
