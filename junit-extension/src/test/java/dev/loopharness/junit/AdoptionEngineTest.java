package dev.loopharness.junit;

import static dev.loopharness.testing.EngineRuns.failureOf;
import static dev.loopharness.testing.EngineRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.EventLoops;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Adopting {@code @WithEventLoop} in a suite whose tests drive loops themselves: the refusals to run a loop inside
 * the body say why and show the one-line change, and {@code body = TEST_THREAD} keeps such tests as they are.
 * Each rule in TEST and CLASS scope.
 */
class AdoptionEngineTest {

    private static final String HINT_START =
            "\nUnder @WithEventLoop the body of test \"%s\" already runs as a coroutine on the test's event loop,"
                    + " so it must not run a loop itself: await instead. The one-line change:"
                    + " loop.runUntilComplete(future) becomes Async.await(future), and"
                    + " loop.runUntilComplete(() -> work()) or EventLoops.run(() -> work()) becomes a direct call,"
                    + " work(). To keep a body that drives the loop itself, run it on the test thread:"
                    + " @WithEventLoop(body = BodyMode.TEST_THREAD).";

    // ---- the refusals say what to change -------------------------------------------------------------------

    @WithEventLoop
    static class RunsTheTestsLoopInTheBody {
        @Test
        void drivesIt(EventLoop loop) {
            loop.runUntilComplete(() -> 42);
        }
    }

    @WithEventLoop(scope = LoopScope.CLASS)
    static class RunsTheTestsLoopInTheBodyOnAClassLoop extends RunsTheTestsLoopInTheBody {}

    @Test
    void runUntilCompleteInTheBodySaysTheBodyIsACoroutineAndShowsTheChange() {
        for (Class<?> fixture :
                new Class<?>[] {RunsTheTestsLoopInTheBody.class, RunsTheTestsLoopInTheBodyOnAClassLoop.class}) {
            assertThat(failureOf(run(fixture)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("This event loop is already running: runUntilComplete() was called from one of its"
                            + " own coroutines; use Async.await(...) to wait for a future or task inside a coroutine"
                            + String.format(HINT_START, fixture.getSimpleName() + ".drivesIt()"));
        }
    }

    @WithEventLoop
    static class CallsEventLoopsRun {
        @Test
        void runsAMain() {
            EventLoops.run(() -> 42);
        }
    }

    @WithEventLoop(scope = LoopScope.CLASS)
    static class CallsEventLoopsRunOnAClassLoop extends CallsEventLoopsRun {}

    @Test
    void eventLoopsRunInTheBodySaysTheBodyIsACoroutineAndShowsTheChange() {
        for (Class<?> fixture : new Class<?>[] {CallsEventLoopsRun.class, CallsEventLoopsRunOnAClassLoop.class}) {
            assertThat(failureOf(run(fixture)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("EventLoops.run() cannot be called from a running event loop (<EventLoop-")
                    .hasMessageEndingWith(String.format(HINT_START, fixture.getSimpleName() + ".runsAMain()"));
        }
    }

    @WithEventLoop
    static class RunsALoopOfItsOwn {
        @Test
        void runsAnother() {
            EventLoop own = EventLoops.newEventLoop();
            try {
                own.runUntilComplete(() -> 42);
            } finally {
                own.close();
            }
        }
    }

    @WithEventLoop(scope = LoopScope.CLASS)
    static class RunsALoopOfItsOwnOnAClassLoop extends RunsALoopOfItsOwn {}

    @Test
    void anotherLoopRunInTheBodySaysTheBodyIsACoroutineAndShowsTheChange() {
        for (Class<?> fixture : new Class<?>[] {RunsALoopOfItsOwn.class, RunsALoopOfItsOwnOnAClassLoop.class}) {
            assertThat(failureOf(run(fixture)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Cannot run the event loop while another loop is running (<EventLoop-")
                    .hasMessageEndingWith(String.format(HINT_START, fixture.getSimpleName() + ".runsAnother()"));
        }
    }

    // ---- body = TEST_THREAD: the body drives the harness's loop --------------------------------------------

    @WithEventLoop(body = BodyMode.TEST_THREAD, clock = ClockMode.VIRTUAL)
    static class DrivesTheInjectedLoop {
        static EventLoop fromBeforeEach;

        @BeforeEach
        void setUp(EventLoop loop) {
            fromBeforeEach = EventLoops.getEventLoop();
            assertThat(loop.runUntilComplete(() -> "set up")).isEqualTo("set up");
        }

        @Test
        void runsCoroutinesAndStops(EventLoop loop) {
            assertThat(loop.isRunning()).isFalse();
            assertThat(EventLoops.getEventLoop()).isSameAs(loop).isSameAs(fromBeforeEach);
            int answer = loop.runUntilComplete(() -> {
                Async.sleep(Duration.ofHours(1));
                return 42;
            });
            assertThat(answer).isEqualTo(42);
            loop.callLater(Duration.ofMinutes(1), loop::stop);
            loop.runForever();
            assertThat(loop.time()).isEqualTo(Duration.ofMinutes(61).toNanos());
        }

        @AfterEach
        void tearDown(EventLoop loop) {
            loop.runUntilComplete(() -> null);
        }
    }

    @WithEventLoop(body = BodyMode.TEST_THREAD, clock = ClockMode.VIRTUAL, scope = LoopScope.CLASS)
    static class DrivesTheInjectedLoopOnAClassLoop extends DrivesTheInjectedLoop {}

    @Test
    void withBodyOnTheTestThreadTheBodyDrivesTheInjectedLoopItself() {
        run(DrivesTheInjectedLoop.class)
                .assertStatistics(stats -> stats.succeeded(1).failed(0));
        assertThat(DrivesTheInjectedLoop.fromBeforeEach.isClosed()).isTrue();
        run(DrivesTheInjectedLoopOnAClassLoop.class)
                .assertStatistics(stats -> stats.succeeded(1).failed(0));
    }

    @WithEventLoop(body = BodyMode.TEST_THREAD, clock = ClockMode.VIRTUAL)
    static class LeaksWhileDriving {
        @Test
        void leavesATask(EventLoop loop) {
            loop.runUntilComplete(() -> {
                Async.createTask(() -> {
                    Async.sleep(Duration.ofHours(3));
                    return null;
                });
                return null;
            });
        }
    }

    @WithEventLoop(body = BodyMode.TEST_THREAD, clock = ClockMode.VIRTUAL, scope = LoopScope.CLASS)
    static class LeaksWhileDrivingOnAClassLoop extends LeaksWhileDriving {}

    @Test
    void withBodyOnTheTestThreadLeaksAreStillReported() {
        for (Class<?> fixture : new Class<?>[] {LeaksWhileDriving.class, LeaksWhileDrivingOnAClassLoop.class}) {
            assertThat(failureOf(run(fixture)))
                    .isInstanceOf(LeakedWorkError.class)
                    .hasMessageStartingWith("Test \"" + fixture.getSimpleName() + ".leavesATask()\" left work pending"
                            + " on its event loop: 1 task and 1 timer.")
                    .hasMessageContaining("created at " + LeaksWhileDriving.class.getName() + ".lambda$leavesATask$");
        }
    }

    @WithEventLoop(body = BodyMode.TEST_THREAD, scope = LoopScope.CLASS)
    static class ClosesWhileDriving {
        @Test
        void closesIt(EventLoop loop) {
            loop.close();
        }
    }

    @WithEventLoop(body = BodyMode.TEST_THREAD, scope = LoopScope.TEST)
    static class ClosesWhileDrivingItsOwnLoop extends ClosesWhileDriving {}

    @Test
    void withBodyOnTheTestThreadTheLoopStillCannotBeClosed() {
        assertThat(failureOf(run(ClosesWhileDriving.class)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Cannot close <EventLoop-")
                .hasMessageContaining("it is owned by @WithEventLoop(scope = CLASS) for"
                        + " AdoptionEngineTest$ClosesWhileDriving, which closes it when its scope ends");
        assertThat(failureOf(run(ClosesWhileDrivingItsOwnLoop.class)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Cannot close <EventLoop-")
                .hasMessageContaining(
                        "it is owned by @WithEventLoop(scope = TEST) for closesIt(EventLoop), which closes it");
    }

    @WithEventLoop(body = BodyMode.TEST_THREAD, timeout = "1s")
    static class HangsWhileDriving {
        @Test
        void waitsForever(EventLoop loop) {
            loop.runUntilComplete(loop.createFuture());
        }
    }

    @WithEventLoop(body = BodyMode.TEST_THREAD, timeout = "1s", scope = LoopScope.CLASS)
    static class HangsWhileDrivingOnAClassLoop extends HangsWhileDriving {}

    @Test
    void withBodyOnTheTestThreadATimeoutStopsTheLoopAndFailsTheTest() {
        for (Class<?> fixture : new Class<?>[] {HangsWhileDriving.class, HangsWhileDrivingOnAClassLoop.class}) {
            Throwable failure = failureOf(run(fixture));
            assertThat(failure)
                    .isInstanceOf(LoopTimeoutError.class)
                    .hasMessageStartingWith("Test \"" + fixture.getSimpleName() + ".waitsForever()\" did not complete"
                            + " within PT1S of real time; it ran on the test thread (body = TEST_THREAD) and was at ")
                    .hasMessageContaining("so its tasks were cancelled and its thread was interrupted.")
                    .hasMessageContaining("clock = VIRTUAL");
            assertThat(failure.getSuppressed()[0])
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("Event loop stopped before Future completed.");
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        }
    }

    // ---- a VIRTUAL test is never told to use virtual time -------------------------------------------------

    @WithEventLoop(clock = ClockMode.VIRTUAL, timeout = "200ms")
    static class VirtualTestWaitsForRealWork {
        static volatile CountDownLatch release;

        @BeforeEach
        void holdTheWorker() {
            release = new CountDownLatch(1);
        }

        @Test
        void waitsForAWorker(EventLoop loop) {
            CountDownLatch mine = release;
            Async.await(loop.runInExecutor(null, () -> mine.await(30, TimeUnit.SECONDS)));
        }

        @AfterEach
        void releaseTheWorker() {
            release.countDown();
        }
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL, timeout = "200ms", scope = LoopScope.CLASS)
    static class VirtualTestWaitsForRealWorkOnAClassLoop extends VirtualTestWaitsForRealWork {}

    @Test
    void aTimeoutOfAVirtualTestDoesNotAdviseVirtualTime() {
        for (Class<?> fixture :
                new Class<?>[] {VirtualTestWaitsForRealWork.class, VirtualTestWaitsForRealWorkOnAClassLoop.class}) {
            Throwable failure = failureOf(run(fixture));
            assertThat(failure)
                    .isInstanceOf(LoopTimeoutError.class)
                    .hasMessageStartingWith("Test \"" + fixture.getSimpleName() + ".waitsForAWorker()\" did not"
                            + " complete within PT0.2S of real time")
                    .hasMessageContaining("The loop runs in virtual time already, so its sleeps and timers take no"
                            + " real time: what took the time is real work")
                    .hasMessageNotContaining("clock = VIRTUAL");
        }
    }
}
