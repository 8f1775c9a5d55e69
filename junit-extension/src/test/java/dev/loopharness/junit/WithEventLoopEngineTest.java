package dev.loopharness.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.EventLoops;
import dev.loopharness.Task;
import dev.loopharness.VirtualClock;
import dev.loopharness.VirtualTimeDeadlockException;
import dev.loopharness.testing.EngineRuns;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** The extension's rules, each shown by a fixture class run through the JUnit engine. */
class WithEventLoopEngineTest {

    static Events run(Class<?> fixture) {
        return EngineRuns.run(fixture);
    }

    static Throwable failureOf(Events events) {
        return EngineRuns.failureOf(events);
    }

    // ---- test bodies run on the loop -----------------------------------------------------------------------

    @WithEventLoop
    static class RunsOnTheLoop {
        static EventLoop seenInBeforeEach;

        @BeforeEach
        void setUp() {
            seenInBeforeEach = EventLoops.getEventLoop();
        }

        @Test
        void bodyIsACoroutineOnTheTestsLoop(EventLoop loop, Executor executor, Clock clock) {
            Async.sleep(Duration.ZERO);
            assertThat(EventLoops.getRunningLoop()).isSameAs(loop);
            assertThat(EventLoops.getEventLoop()).isSameAs(loop);
            assertThat(seenInBeforeEach).isSameAs(loop);
            assertThat(executor).isSameAs(loop);
            assertThat(clock.instant()).isNotNull();
        }
    }

    @Test
    void testBodiesAndLifecycleMethodsRunAsCoroutinesOnTheLoop() {
        run(RunsOnTheLoop.class).assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(RunsOnTheLoop.seenInBeforeEach.isClosed()).isTrue();
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class VirtualTime {
        @Test
        void anHourPassesAtOnce(VirtualClock clock, EventLoop loop) {
            long start = loop.time();
            Async.sleep(Duration.ofHours(1));
            assertThat(loop.time() - start).isEqualTo(Duration.ofHours(1).toNanos());
            assertThat(clock.nanoTime()).isEqualTo(loop.time());
        }
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class UsesTheExecutorView {
        @Test
        void retriesInLoopTime(java.util.concurrent.ScheduledExecutorService scheduler, EventLoop loop) {
            java.util.concurrent.CompletableFuture<Long> fired = new java.util.concurrent.CompletableFuture<>();
            scheduler.schedule(() -> fired.complete(loop.time()), 90, java.util.concurrent.TimeUnit.MINUTES);
            assertThat(Async.await(fired)).isEqualTo(Duration.ofMinutes(90).toNanos());
        }
    }

    @Test
    void aScheduledExecutorServiceParameterRunsOnTheLoopInLoopTime() {
        run(UsesTheExecutorView.class).assertStatistics(stats -> stats.succeeded(1));
    }

    @Test
    void virtualClockModeMakesSleepsTakeNoRealTime() {
        run(VirtualTime.class).assertStatistics(stats -> stats.succeeded(1));
    }

    // ---- leaks ---------------------------------------------------------------------------------------------

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class LeaksATask {
        @Test
        void startsAndForgets() {
            Task<Object> task = Async.createTask(() -> {
                Async.sleep(Duration.ofHours(5));
                return null;
            });
            task.setName("forgotten");
            Async.sleep(Duration.ZERO);
        }
    }

    @Test
    void aLeakedTaskFailsTheTestNamingTheTaskAndWhereItWasCreated() {
        Throwable failure = failureOf(run(LeaksATask.class));
        assertThat(failure)
                .isInstanceOf(LeakedWorkError.class)
                .hasMessageStartingWith("Test \"LeaksATask.startsAndForgets()\" left work pending on its event loop:"
                        + " 1 task and 1 timer.")
                .hasMessageContaining("task 'forgotten' created at " + LeaksATask.class.getName()
                        + ".startsAndForgets(WithEventLoopEngineTest.java:")
                .hasMessageContaining("timer due in 18000.000 s of loop time")
                .hasMessageContaining("leaks = CANCEL");
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL, leaks = LeakPolicy.CANCEL)
    static class LeaksUnderCancelPolicy extends LeaksATask {}

    @Test
    void theCancelPolicyCancelsLeftoversSilently() {
        run(LeaksUnderCancelPolicy.class)
                .assertStatistics(stats -> stats.succeeded(1).failed(0));
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class FailsAndLeaks {
        @Test
        void failsOnItsOwn() {
            Async.createTask(() -> {
                Async.sleep(Duration.ofHours(1));
                return null;
            });
            Async.sleep(Duration.ZERO);
            throw new IllegalStateException("the test's own failure");
        }
    }

    @Test
    void aLeakReportNeverHidesTheTestsOwnFailure() {
        Throwable failure = failureOf(run(FailsAndLeaks.class));
        assertThat(failure).isInstanceOf(IllegalStateException.class).hasMessage("the test's own failure");
        assertThat(failure.getSuppressed()).hasSize(1);
        assertThat(failure.getSuppressed()[0])
                .isInstanceOf(LeakedWorkError.class)
                .hasMessageContaining("left work pending");
    }

    // ---- callback errors -----------------------------------------------------------------------------------

    @WithEventLoop
    static class CallbackThrows {
        @Test
        void schedulesAFailingCallback(EventLoop loop) {
            loop.callSoon(() -> {
                throw new IllegalArgumentException("callback broke");
            });
            Async.sleep(Duration.ZERO);
        }
    }

    @Test
    void anExceptionInACallbackFailsTheTest() {
        Throwable failure = failureOf(run(CallbackThrows.class));
        assertThat(failure)
                .isInstanceOf(LoopCallbackError.class)
                .hasMessageStartingWith("1 error reached the event loop's exception handler during test"
                        + " \"CallbackThrows.schedulesAFailingCallback()\":")
                .hasMessageContaining("java.lang.IllegalArgumentException: callback broke");
        assertThat(failure.getSuppressed()[0]).hasMessage("callback broke");
    }

    @WithEventLoop
    static class DropsAFailedTask {
        @Test
        void neverLooksAtTheTask() {
            Async.createTask(() -> {
                throw new IllegalStateException("nobody saw this");
            });
            Async.sleep(Duration.ZERO);
            Async.sleep(Duration.ZERO);
        }
    }

    @Test
    void aTaskExceptionNobodyRetrievedFailsTheTest() {
        Throwable failure = failureOf(run(DropsAFailedTask.class));
        assertThat(failure)
                .isInstanceOf(LoopCallbackError.class)
                .hasMessageContaining(
                        "1. Task exception was never retrieved: java.lang.IllegalStateException:" + " nobody saw this");
    }

    // ---- ownership -----------------------------------------------------------------------------------------

    @WithEventLoop(scope = LoopScope.SHARED)
    static class ClosesTheSharedLoop {
        @Test
        void closesIt(EventLoop loop) {
            loop.close();
        }
    }

    @Test
    void aTestCannotCloseALoopTheHarnessOwns() {
        Throwable failure = failureOf(run(ClosesTheSharedLoop.class));
        assertThat(failure)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Cannot close <EventLoop-")
                .hasMessageContaining("it is owned by @WithEventLoop(scope = SHARED) for the test run, which closes it"
                        + " when its scope ends");
    }

    @WithEventLoop(scope = LoopScope.CLASS)
    static class StopsTheClassLoop {
        @Test
        void stopsIt(EventLoop loop) {
            loop.stop();
        }
    }

    @Test
    void aTestCannotStopALoopTheHarnessOwns() {
        Throwable failure = failureOf(run(StopsTheClassLoop.class));
        assertThat(failure)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Cannot stop <EventLoop-")
                .hasMessageContaining(
                        "it is owned by @WithEventLoop(scope = CLASS) for WithEventLoopEngineTest$StopsTheClassLoop,"
                                + " which closes it when its scope ends");
    }

    @WithEventLoop(scope = LoopScope.CLASS)
    static class SharesAClassLoop {
        static EventLoop first;
        static EventLoop second;

        @Test
        void one(EventLoop loop) {
            first = loop;
        }

        @Test
        void two(EventLoop loop) {
            second = loop;
        }
    }

    @Test
    void classScopeGivesEveryTestOfTheClassTheSameLoopAndClosesItAfterwards() {
        run(SharesAClassLoop.class).assertStatistics(stats -> stats.succeeded(2));
        assertThat(SharesAClassLoop.first).isSameAs(SharesAClassLoop.second);
        assertThat(SharesAClassLoop.first.isClosed()).isTrue();
    }

    @WithEventLoop
    @org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.MethodName.class)
    static class OneTestClosesALoopTheNextUses {
        static EventLoop sharedByHand;

        @Test
        void a_closesIt() {
            sharedByHand = EventLoops.newEventLoop();
            sharedByHand.close();
        }

        @Test
        void b_usesIt() {
            sharedByHand.callSoon(() -> {});
        }
    }

    @Test
    void anEventLoopClosedExceptionNamesTheTestThatClosedTheLoop() {
        Throwable failure = failureOf(run(OneTestClosesALoopTheNextUses.class));
        assertThat(failure)
                .isInstanceOf(dev.loopharness.EventLoopClosedException.class)
                .hasMessageStartingWith("Event loop is closed: EventLoop-")
                .hasMessageContaining("was closed at " + OneTestClosesALoopTheNextUses.class.getName()
                        + ".a_closesIt(WithEventLoopEngineTest.java:")
                .hasMessageContaining("by test \"OneTestClosesALoopTheNextUses.a_closesIt()\"");
    }

    @WithEventLoop
    @org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.MethodName.class)
    static class OneTestKeepsItsLoopTheNextUses {
        static EventLoop kept;

        @Test
        void a_keepsIt(EventLoop loop) {
            kept = loop;
        }

        @Test
        void b_usesIt() {
            kept.callSoon(() -> {});
        }
    }

    @Test
    void aLoopTheHarnessClosedNamesItsScopeAsTheCloser() {
        Throwable failure = failureOf(run(OneTestKeepsItsLoopTheNextUses.class));
        assertThat(failure)
                .isInstanceOf(dev.loopharness.EventLoopClosedException.class)
                .hasMessageStartingWith("Event loop is closed: EventLoop-")
                .hasMessageContaining(
                        "was closed by @WithEventLoop(scope = TEST) for a_keepsIt(EventLoop) when its scope ended");
        assertThat(((dev.loopharness.EventLoopClosedException) failure).closedAt())
                .isEmpty();
    }

    // ---- structure: nested classes, per-class instances, parallel runs -------------------------------------

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class Outer {
        @org.junit.jupiter.api.Nested
        class Inner {
            @Test
            void inheritsTheOuterSettings(VirtualClock clock) {
                Async.sleep(Duration.ofMinutes(1));
                assertThat(clock.nanoTime()).isEqualTo(Duration.ofMinutes(1).toNanos());
            }
        }
    }

    @Test
    void nestedClassesInheritTheEnclosingAnnotation() {
        run(Outer.class).assertStatistics(stats -> stats.succeeded(1));
    }

    @WithEventLoop(scope = LoopScope.CLASS)
    @org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
    static class PerClassInstance {
        EventLoop fromBeforeAll;

        @org.junit.jupiter.api.BeforeAll
        void setUp() {
            fromBeforeAll = EventLoops.getRunningLoop();
        }

        @Test
        void seesTheSameLoop(EventLoop loop) {
            assertThat(loop).isSameAs(fromBeforeAll);
        }

        @org.junit.jupiter.params.ParameterizedTest
        @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 3})
        void parameterizedTestsRunOnItToo(int value, EventLoop loop) {
            assertThat(EventLoops.getRunningLoop()).isSameAs(loop).isSameAs(fromBeforeAll);
            assertThat(value).isPositive();
        }
    }

    @Test
    void beforeAllOfAPerClassInstanceRunsOnTheClassLoop() {
        run(PerClassInstance.class).assertStatistics(stats -> stats.succeeded(4));
    }

    @WithEventLoop(scope = LoopScope.SHARED, clock = ClockMode.VIRTUAL)
    @org.junit.jupiter.api.parallel.Execution(org.junit.jupiter.api.parallel.ExecutionMode.CONCURRENT)
    static class ParallelOnASharedLoop {
        @org.junit.jupiter.api.RepeatedTest(20)
        void sleepsOnTheSharedLoop(EventLoop loop) {
            Async.sleep(Duration.ofSeconds(1));
            assertThat(EventLoops.getRunningLoop()).isSameAs(loop);
        }
    }

    @Test
    void parallelTestsOnASharedLoopTakeTurnsInsteadOfFailing() {
        EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4")
                .selectors(selectClass(ParallelOnASharedLoop.class))
                .execute()
                .testEvents()
                .assertStatistics(stats -> stats.succeeded(20).failed(0));
    }

    @WithEventLoop
    static class ConfiguredByParameters {
        @Test
        void runsOnAVirtualClock(VirtualClock clock) {
            assertThat(clock).isNotNull();
        }
    }

    @WithEventLoop
    static class NoParameters {
        @Test
        void yields() {
            Async.sleep(Duration.ZERO);
        }
    }

    @Test
    void configurationParametersSupplyTheDefaults() {
        EngineTestKit.engine("junit-jupiter")
                .configurationParameter("loopharness.clock", "virtual")
                .selectors(selectClass(ConfiguredByParameters.class))
                .execute()
                .testEvents()
                .assertStatistics(stats -> stats.succeeded(1));
        Throwable failure = failureOf(EngineTestKit.engine("junit-jupiter")
                .configurationParameter("loopharness.scope", "everywhere")
                .selectors(selectClass(NoParameters.class))
                .execute()
                .testEvents());
        assertThat(failure)
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("loopharness.scope = 'everywhere' is not valid; allowed: TEST, CLASS, SHARED");
    }

    // ---- hangs ---------------------------------------------------------------------------------------------

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class Deadlocks {
        @Test
        void waitsForNothing(EventLoop loop) {
            Async.await(loop.createFuture());
        }
    }

    @Test
    void aDeadlockInVirtualTimeFailsAtOnceWithWhereTheTaskWaits() {
        Throwable failure = failureOf(run(Deadlocks.class));
        assertThat(failure)
                .isInstanceOf(VirtualTimeDeadlockException.class)
                .hasMessageContaining("task 'Deadlocks.waitsForNothing()'")
                .hasMessageContaining("waiting at " + Deadlocks.class.getName() + ".waitsForNothing(");
    }

    @WithEventLoop(timeout = "200ms")
    static class Hangs {
        @Test
        void waitsForever(EventLoop loop) {
            Async.await(loop.createFuture());
        }
    }

    @Test
    void aTestOverItsTimeoutFailsAloneWithADumpOfPendingTasks() {
        Throwable failure = failureOf(run(Hangs.class));
        assertThat(failure)
                .isInstanceOf(LoopTimeoutError.class)
                .hasMessageStartingWith("Test \"Hangs.waitsForever()\" did not complete within PT0.2S of real time")
                .hasMessageContaining("waiting at " + Hangs.class.getName() + ".waitsForever(");
    }

    @WithEventLoop(timeout = "200ms")
    static class BlocksTheLoop {
        @Test
        void sleepsTheWrongWay() throws InterruptedException {
            Thread.sleep(600_000);
        }

        @Test
        void runsAfterwards() {
            Async.sleep(Duration.ZERO);
        }
    }

    @Test
    void aTestBlockedInANonAwaitCallIsInterruptedAndTheRunGoesOn() {
        Events events = run(BlocksTheLoop.class);
        events.assertStatistics(stats -> stats.failed(1).succeeded(1));
        assertThat(failureOf(events))
                .isInstanceOf(LoopTimeoutError.class)
                .hasMessageStartingWith("Test \"BlocksTheLoop.sleepsTheWrongWay()\" did not complete within PT0.2S of"
                        + " real time, and its coroutine blocked the event loop at " + BlocksTheLoop.class.getName()
                        + ".sleepsTheWrongWay(")
                .hasMessageContaining("so its thread was interrupted");
    }

    // ---- configuration and parameters ----------------------------------------------------------------------

    @WithEventLoop(timeout = "soon")
    static class BadTimeout {
        @Test
        void anything() {}
    }

    @Test
    void aBadTimeoutIsRefusedNamingTheValueAndTheAllowedForms() {
        Throwable failure = failureOf(run(BadTimeout.class));
        assertThat(failure)
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("@WithEventLoop(timeout) = 'soon' is not valid; allowed: a number with a unit");
    }

    @WithEventLoop
    static class AsksForAVirtualClockOnARealLoop {
        @Test
        void wantsTime(VirtualClock clock) {}
    }

    @Test
    void aVirtualClockParameterOnARealLoopSaysHowToGetOne() {
        Throwable failure = failureOf(run(AsksForAVirtualClockOnARealLoop.class));
        assertThat(failure)
                .isInstanceOf(ParameterResolutionException.class)
                .hasMessageContaining("Cannot resolve a parameter of type dev.loopharness.VirtualClock: the loop runs"
                        + " on the real clock; use @WithEventLoop(clock = VIRTUAL)");
    }

    // ---- no leaks of our own -------------------------------------------------------------------------------

    @WithEventLoop
    static class AThousandTests {
        @org.junit.jupiter.api.RepeatedTest(1000)
        void trivial() {
            Async.sleep(Duration.ZERO);
        }

        @AfterEach
        void nothing() {}
    }

    @Test
    void aThousandTestsLeaveNoThreadBehind() throws InterruptedException {
        run(AThousandTests.class); // warm-up: the watchdog and pools of the first run
        int before = platformThreads().size();
        run(AThousandTests.class).assertStatistics(stats -> stats.succeeded(1000));
        List<Thread> after = platformThreads();
        for (Thread thread : after) {
            if (thread.getName().startsWith("loopharness")) {
                thread.join(10_000);
            }
        }
        assertThat(platformThreads().stream().filter(t -> t.getName().startsWith("loopharness")))
                .isEmpty();
        assertThat(platformThreads().size()).isLessThanOrEqualTo(before);
    }

    private static List<Thread> platformThreads() {
        return List.copyOf(Thread.getAllStackTraces().keySet());
    }
}
