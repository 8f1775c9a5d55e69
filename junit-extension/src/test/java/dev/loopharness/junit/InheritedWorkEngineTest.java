package dev.loopharness.junit;

import static dev.loopharness.testing.EngineRuns.failureOf;
import static dev.loopharness.testing.EngineRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * Work inherits the test that created it: what a callback, a timer or a task step creates belongs to the test
 * that created that callback, transitively; work posted from another thread belongs to the test running on the
 * loop. Each rule in TEST and CLASS scope.
 */
class InheritedWorkEngineTest {

    private static final String FILE = "(InheritedWorkEngineTest.java:";

    // ---- a periodic task of the executor view, after its first run -----------------------------------------

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class PeriodicViewTask {
        @Test
        void startsAPollerAndForgetsIt(ScheduledExecutorService scheduler) {
            scheduler.scheduleAtFixedRate(() -> {}, 1, 1, TimeUnit.SECONDS);
            Async.sleep(Duration.ofMillis(1500));
        }
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL, scope = LoopScope.CLASS)
    static class PeriodicViewTaskOnAClassLoop extends PeriodicViewTask {}

    @Test
    void aPeriodicViewTaskReArmedAfterItsFirstRunIsALeakOfTheTest() {
        assertPeriodicLeak(run(PeriodicViewTask.class), "PeriodicViewTask");
        assertPeriodicLeak(run(PeriodicViewTaskOnAClassLoop.class), "PeriodicViewTaskOnAClassLoop");
    }

    private static void assertPeriodicLeak(Events events, String className) {
        events.assertStatistics(stats -> stats.failed(1));
        assertThat(failureOf(events))
                .isInstanceOf(LeakedWorkError.class)
                .hasMessageStartingWith("Test \"" + className + ".startsAPollerAndForgetsIt()\" left work pending on"
                        + " its event loop: 0 tasks and 1 timer.")
                .hasMessageContaining("timer due in 0.500 s of loop time: <TimerHandle when=")
                .hasMessageContaining("every PT1S at a fixed rate")
                .hasMessageContaining("\n      armed while running work created at " + PeriodicViewTask.class.getName()
                        + ".startsAPollerAndForgetsIt" + FILE);
    }

    // ---- a timer re-armed in its own callback, and work scheduled inside a callback --------------------------

    /** Polls for ever once started: each tick arms the next. */
    static final class Poller {
        private final EventLoop loop;
        final AtomicInteger ticks = new AtomicInteger();

        Poller(EventLoop loop) {
            this.loop = loop;
        }

        void start() {
            loop.callLater(Duration.ofSeconds(1), this::tick);
        }

        private void tick() {
            ticks.incrementAndGet();
            loop.callLater(Duration.ofSeconds(1), this::tick);
        }
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class ReArmsInItsCallback {
        @Test
        void startsAndForgets(EventLoop loop) {
            new Poller(loop).start();
            Async.sleep(Duration.ofMillis(3500));
        }
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL, scope = LoopScope.CLASS)
    static class ReArmsInItsCallbackOnAClassLoop extends ReArmsInItsCallback {}

    @Test
    void aTimerReArmedInItsOwnCallbackIsALeakNamingTheChainBackToTheTest() {
        for (Class<?> fixture : new Class<?>[] {ReArmsInItsCallback.class, ReArmsInItsCallbackOnAClassLoop.class}) {
            Throwable failure = failureOf(run(fixture));
            assertThat(failure)
                    .isInstanceOf(LeakedWorkError.class)
                    .hasMessageStartingWith("Test \"" + fixture.getSimpleName() + ".startsAndForgets()\" left work"
                            + " pending on its event loop: 0 tasks and 1 timer.")
                    .hasMessageContaining("timer due in 0.500 s of loop time: <TimerHandle when=")
                    .hasMessageContaining(" created at " + Poller.class.getName() + ".tick" + FILE)
                    .hasMessageContaining(
                            "\n      armed while running work created at " + Poller.class.getName() + ".tick" + FILE)
                    .hasMessageContaining(
                            "\n      armed while running work created at " + Poller.class.getName() + ".start" + FILE);
        }
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class SchedulesInsideACallback {
        @Test
        void armsFromACallback(EventLoop loop, ScheduledExecutorService scheduler) {
            loop.callSoon(() -> scheduler.schedule(() -> {}, 1, TimeUnit.HOURS));
            loop.callSoon(() -> loop.createTask(() -> {
                Async.sleep(Duration.ofHours(2));
                return null;
            }));
            Async.sleep(Duration.ZERO);
        }
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL, scope = LoopScope.CLASS)
    static class SchedulesInsideACallbackOnAClassLoop extends SchedulesInsideACallback {}

    @Test
    void workScheduledInsideACallbackBelongsToTheTestThatScheduledTheCallback() {
        for (Class<?> fixture :
                new Class<?>[] {SchedulesInsideACallback.class, SchedulesInsideACallbackOnAClassLoop.class}) {
            Throwable failure = failureOf(run(fixture));
            assertThat(failure)
                    .isInstanceOf(LeakedWorkError.class)
                    .hasMessageStartingWith("Test \"" + fixture.getSimpleName() + ".armsFromACallback()\" left work"
                            + " pending on its event loop: 1 task and 2 timers.")
                    .hasMessageContaining("timer due in 3600.000 s of loop time")
                    .hasMessageContaining("timer due in 7200.000 s of loop time")
                    .hasMessageContaining("task 'Task-")
                    .hasMessageContaining("\n      armed while running work created at "
                            + SchedulesInsideACallback.class.getName() + ".armsFromACallback" + FILE);
        }
    }

    // ---- work posted from another thread ---------------------------------------------------------------------

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class PostsFromAnotherThread {
        @Test
        void armsFromAWorker(EventLoop loop) throws InterruptedException {
            Thread worker = new Thread(() -> loop.execute(() -> loop.callLater(Duration.ofHours(1), () -> {})));
            worker.start();
            worker.join();
            Async.sleep(Duration.ZERO);
        }
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL, scope = LoopScope.CLASS)
    static class PostsFromAnotherThreadOnAClassLoop extends PostsFromAnotherThread {}

    @Test
    void workPostedFromAnotherThreadBelongsToTheTestRunningOnTheLoop() {
        for (Class<?> fixture :
                new Class<?>[] {PostsFromAnotherThread.class, PostsFromAnotherThreadOnAClassLoop.class}) {
            assertThat(failureOf(run(fixture)))
                    .isInstanceOf(LeakedWorkError.class)
                    .hasMessageStartingWith("Test \"" + fixture.getSimpleName() + ".armsFromAWorker()\" left work"
                            + " pending on its event loop: 0 tasks and 1 timer.")
                    .hasMessageContaining("timer due in 3600.000 s of loop time");
        }
    }

    // ---- work no test owns is the scope's, reported when the scope ends ---------------------------------------

    @WithEventLoop(clock = ClockMode.VIRTUAL, scope = LoopScope.CLASS)
    static class ScopeLeavesWork {
        @Test
        void passes() {
            Async.sleep(Duration.ZERO);
        }

        @AfterAll
        static void armsAndForgets(EventLoop loop) {
            loop.callLater(Duration.ofHours(1), () -> {});
        }
    }

    @Test
    void workOfAClassScopeIsReportedWhenTheClassEnds() {
        Events containers = EngineTestKit.engine("junit-jupiter")
                .selectors(DiscoverySelectors.selectClass(ScopeLeavesWork.class))
                .execute()
                .containerEvents();
        Throwable failure = containers.failed().stream()
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container failed"))
                .getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable)
                .orElseThrow();
        assertThat(failure)
                .isInstanceOf(LeakedWorkError.class)
                .hasMessageStartingWith("The scope of class \"ScopeLeavesWork\" (its @BeforeAll and @AfterAll"
                        + " methods, and work posted from other threads while no test ran) left work pending on its"
                        + " event loop: 0 tasks and 1 timer.")
                .hasMessageContaining("timer due in 3600.000 s of loop time")
                .hasMessageContaining("created at " + ScopeLeavesWork.class.getName() + ".armsAndForgets" + FILE);
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL, scope = LoopScope.SHARED)
    @Order(1)
    static class SharedScopeLeavesWork {
        @BeforeAll
        static void armsAndForgets(EventLoop loop) {
            loop.callLater(Duration.ofHours(1), () -> {});
        }

        @Test
        void passes() {
            Async.sleep(Duration.ZERO);
        }
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL, scope = LoopScope.SHARED)
    @Order(2)
    static class NextClassOnTheSharedLoop {
        @Test
        void seesNoTimerOfTheClassBefore(EventLoop loop) {
            assertThat(loop.pendingTimers()).isEmpty();
        }
    }

    @Test
    void workOfTheClassLevelMethodsOnASharedLoopIsReportedWhenTheClassEndsAndTheNextClassNeverSeesIt() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(
                        DiscoverySelectors.selectClass(SharedScopeLeavesWork.class),
                        DiscoverySelectors.selectClass(NextClassOnTheSharedLoop.class))
                .configurationParameter(
                        "junit.jupiter.testclass.order.default", "org.junit.jupiter.api.ClassOrderer$OrderAnnotation")
                .execute();
        results.testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));
        List<Throwable> failures = results.containerEvents().failed().stream()
                .map(event -> event.getPayload(TestExecutionResult.class)
                        .flatMap(TestExecutionResult::getThrowable)
                        .orElseThrow())
                .toList();
        assertThat(failures)
                .singleElement()
                .isInstanceOf(LeakedWorkError.class)
                .satisfies(failure -> assertThat(failure.getMessage())
                        .startsWith("The @BeforeAll and @AfterAll methods of class \"SharedScopeLeavesWork\" (on the"
                                + " test run's shared loop) left work pending on its event loop: 0 tasks and 1 timer.")
                        .contains("timer due in 3600.000 s of loop time")
                        .contains("created at " + SharedScopeLeavesWork.class.getName() + ".armsAndForgets" + FILE));
    }

    // ---- the next test on a shared loop never sees the leftovers ---------------------------------------------

    @WithEventLoop(clock = ClockMode.VIRTUAL, scope = LoopScope.CLASS)
    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class LeakThenInnocent {
        static final AtomicInteger polls = new AtomicInteger();

        @Test
        void a_leaksAPoller(ScheduledExecutorService scheduler) {
            polls.set(0);
            scheduler.scheduleAtFixedRate(polls::incrementAndGet, 0, 1, TimeUnit.SECONDS);
            Async.sleep(Duration.ofMillis(500));
        }

        @Test
        void b_innocent() {
            int before = polls.get();
            Async.sleep(Duration.ofSeconds(10));
            assertThat(polls.get()).isEqualTo(before);
        }
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL, scope = LoopScope.CLASS, leaks = LeakPolicy.CANCEL)
    static class LeakThenInnocentUnderCancel extends LeakThenInnocent {}

    @Test
    void leftoversAreCancelledBeforeTheNextTestOnAClassLoopStarts() {
        Events events = run(LeakThenInnocent.class);
        events.assertStatistics(stats -> stats.succeeded(1).failed(1));
        assertThat(failureOf(events))
                .isInstanceOf(LeakedWorkError.class)
                .hasMessageStartingWith("Test \"LeakThenInnocent.a_leaksAPoller()\" left work pending");
        run(LeakThenInnocentUnderCancel.class).assertStatistics(stats -> stats.succeeded(2));
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL, scope = LoopScope.SHARED)
    static class LeakThenInnocentOnTheSharedLoop extends LeakThenInnocent {}

    @WithEventLoop(clock = ClockMode.VIRTUAL, scope = LoopScope.SHARED, leaks = LeakPolicy.CANCEL)
    static class LeakThenInnocentOnTheSharedLoopUnderCancel extends LeakThenInnocent {}

    @Test
    void leftoversAreCancelledBeforeTheNextTestOnTheSharedLoopStarts() {
        Events events = run(LeakThenInnocentOnTheSharedLoop.class);
        events.assertStatistics(stats -> stats.succeeded(1).failed(1));
        assertThat(failureOf(events))
                .isInstanceOf(LeakedWorkError.class)
                .hasMessageStartingWith("Test \"LeakThenInnocentOnTheSharedLoop.a_leaksAPoller()\" left work pending"
                        + " on its event loop: 0 tasks and 1 timer.");
        run(LeakThenInnocentOnTheSharedLoopUnderCancel.class).assertStatistics(stats -> stats.succeeded(2));
    }

    // ---- a callback chain that posts itself again for ever ---------------------------------------------------

    /** Re-posts itself each time it runs, so the loop never runs out of ready work. */
    static final class Spinner {
        private final EventLoop loop;
        private final AtomicInteger spins;

        Spinner(EventLoop loop, AtomicInteger spins) {
            this.loop = loop;
            this.spins = spins;
        }

        void start() {
            loop.callSoon(this::spin);
        }

        private void spin() {
            spins.incrementAndGet();
            loop.callSoon(this::spin);
        }
    }

    @WithEventLoop
    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class SpinsForEver {
        static final AtomicInteger spins = new AtomicInteger();

        @Test
        void a_startsASpinnerAndForgetsIt(EventLoop loop) {
            spins.set(0);
            new Spinner(loop, spins).start();
            Async.sleep(Duration.ZERO);
            Async.sleep(Duration.ZERO);
            assertThat(spins.get()).isPositive();
        }

        @Test
        void b_innocent() {
            int before = spins.get();
            for (int i = 0; i < 5; i++) {
                Async.sleep(Duration.ZERO);
            }
            assertThat(spins.get()).isEqualTo(before);
        }
    }

    @WithEventLoop(scope = LoopScope.CLASS)
    static class SpinsForEverOnAClassLoop extends SpinsForEver {}

    @WithEventLoop(scope = LoopScope.SHARED)
    static class SpinsForEverOnTheSharedLoop extends SpinsForEver {}

    @Test
    void aCallbackChainThatRepostsItselfIsALeakNamingTheChainBackToTheTest() {
        for (Class<?> fixture :
                new Class<?>[] {SpinsForEver.class, SpinsForEverOnAClassLoop.class, SpinsForEverOnTheSharedLoop.class
                }) {
            Events events = run(fixture);
            events.assertStatistics(stats -> stats.succeeded(1).failed(1));
            assertThat(failureOf(events))
                    .isInstanceOf(LeakedWorkError.class)
                    .hasMessageStartingWith("Test \"" + fixture.getSimpleName() + ".a_startsASpinnerAndForgetsIt()\""
                            + " left work pending on its event loop: 0 tasks, 0 timers and 1 callback ready to run.")
                    .hasMessageContaining("\n  callback ready to run: <Handle lambda in " + Spinner.class.getName()
                            + " created at " + Spinner.class.getName() + ".spin" + FILE)
                    .hasMessageContaining(
                            "\n      armed while running work created at " + Spinner.class.getName() + ".spin" + FILE)
                    .hasMessageContaining(
                            "\n      armed while running work created at " + Spinner.class.getName() + ".start" + FILE);
        }
    }

    @WithEventLoop(scope = LoopScope.CLASS, leaks = LeakPolicy.CANCEL)
    static class SpinsForEverUnderCancel extends SpinsForEver {}

    @WithEventLoop(scope = LoopScope.SHARED, leaks = LeakPolicy.CANCEL)
    static class SpinsForEverOnTheSharedLoopUnderCancel extends SpinsForEver {}

    @Test
    void underCancelACallbackChainIsCancelledBeforeTheNextTestOnASharedLoopStarts() {
        for (Class<?> fixture :
                new Class<?>[] {SpinsForEverUnderCancel.class, SpinsForEverOnTheSharedLoopUnderCancel.class}) {
            run(fixture).assertStatistics(stats -> stats.succeeded(2).failed(0));
        }
    }

    // ---- work posted to the SHARED loop while no test ran is reported as the run ends ------------------------

    /** Posts to the shared loop from JUnit's thread after the first test, while no test runs on the loop. */
    static final class PostsBetweenTests implements AfterEachCallback {
        static volatile EventLoop loop;

        @Override
        public void afterEach(ExtensionContext context) {
            if (context.getRequiredTestMethod().getName().equals("a_keepsTheLoop")) {
                loop.callSoonThreadsafe(() -> loop.callLater(Duration.ofHours(1), PostsBetweenTests::never));
            }
        }

        private static void never() {}
    }

    @WithEventLoop(scope = LoopScope.SHARED)
    @ExtendWith(PostsBetweenTests.class)
    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class SharedLoopGetsWorkBetweenTests {
        @Test
        void a_keepsTheLoop(EventLoop loop) {
            PostsBetweenTests.loop = loop;
        }

        @Test
        void b_runsTheLoop() {
            Async.sleep(Duration.ZERO);
        }
    }

    @Test
    void workOfTheSharedLoopThatNoTestOwnsFailsTheRunAsItEnds() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .selectors(DiscoverySelectors.selectClass(SharedLoopGetsWorkBetweenTests.class))
                .execute();
        results.testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));
        Throwable failure = results.containerEvents().failed().stream()
                .map(event -> event.getRequiredPayload(TestExecutionResult.class))
                .map(result -> result.getThrowable().orElseThrow())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container failed"));
        assertThat(failure)
                .isInstanceOf(LeakedWorkError.class)
                .hasMessageStartingWith("The scope of the test run (work on the test run's shared loop"
                        + " (@WithEventLoop(scope = SHARED), clock = REAL) that no test owns: posted from other"
                        + " threads while no test ran on it, or armed by such work; reported as the run ends) left"
                        + " work pending on its event loop: 0 tasks and 1 timer.")
                .hasMessageFindingMatch("\n  timer due in 3\\d{3}\\.\\d{3} s of loop time: <TimerHandle when=")
                .hasMessageContaining("created at " + PostsBetweenTests.class.getName() + ".lambda$afterEach$");
    }
}
