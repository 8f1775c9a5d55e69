package dev.loopharness.junit;

import static dev.loopharness.testing.EngineRuns.failureOf;
import static dev.loopharness.testing.EngineRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.LoopFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Diagnostics land on the test: a confinement violation on another thread, plain Awaitility in a body. */
class DiagnosticsEngineTest {

    // ---- a thread-confinement violation on another thread fails the test that owns the loop ----------------

    /** A worker completes a loop future directly: refused in debug mode, on the worker. */
    @WithEventLoop(timeout = "20s")
    static class CompletesFromAWorker {
        static final List<Thread> workers = new CopyOnWriteArrayList<>();

        @Test
        void awaitsAFutureAWorkerCompletes(EventLoop loop) {
            LoopFuture<String> answer = loop.createFuture();
            Thread worker = new Thread(() -> answer.setResult("42"), "price-worker");
            worker.setUncaughtExceptionHandler((thread, error) -> {});
            workers.add(worker);
            worker.start();
            Async.await(answer);
        }
    }

    @WithEventLoop(timeout = "20s", scope = LoopScope.CLASS)
    static class CompletesFromAWorkerOnAClassLoop extends CompletesFromAWorker {}

    @Test
    void aConfinementViolationOnAnotherThreadFailsTheTestAtOnceWithThatError() throws InterruptedException {
        for (Class<?> fixture : new Class<?>[] {CompletesFromAWorker.class, CompletesFromAWorkerOnAClassLoop.class}) {
            Throwable failure = failureOf(run(fixture));
            assertThat(failure)
                    .isExactlyInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Non-thread-safe operation LoopFuture.setResult() invoked from thread"
                            + " \"price-worker\" on <EventLoop-")
                    .hasMessageEndingWith("; from other threads use callSoonThreadsafe() or execute()");
        }
        for (Thread worker : CompletesFromAWorker.workers) {
            worker.join();
        }
    }

    // ---- plain Awaitility in a body is pointed to LoopAwaitility ---------------------------------------------

    @WithEventLoop(timeout = "300ms")
    static class PlainAwaitilityInTheBody {
        @Test
        void waitsWithPlainAwaitility() {
            Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> false);
        }
    }

    @WithEventLoop(timeout = "300ms", scope = LoopScope.CLASS)
    static class PlainAwaitilityInTheBodyOnAClassLoop extends PlainAwaitilityInTheBody {}

    @Test
    void plainAwaitilityBlockingTheLoopIsPointedToLoopAwaitility() {
        for (Class<?> fixture :
                new Class<?>[] {PlainAwaitilityInTheBody.class, PlainAwaitilityInTheBodyOnAClassLoop.class}) {
            assertThat(failureOf(run(fixture)))
                    .isInstanceOf(LoopTimeoutError.class)
                    .hasMessageStartingWith("Test \"" + fixture.getSimpleName() + ".waitsWithPlainAwaitility()\" did"
                            + " not complete within PT0.3S of real time, and its coroutine blocked the event loop at")
                    .hasMessageEndingWith("Plain Awaitility blocks the loop that would make its condition true: use"
                            + " LoopAwaitility.await() (dev.loopharness.awaitility), which has Awaitility's DSL,"
                            + " suspends the coroutine between polls and counts loop time.")
                    .hasMessageNotContaining("Async.sleep()");
        }
    }

    // ---- warnings raised during a test reach its report ----------------------------------------------------

    @WithEventLoop
    static class BlocksBriefly {
        @Test
        void sleepsOnTheLoop() throws InterruptedException {
            Thread.sleep(300); // over the 100 ms slow-step threshold of debug mode, whatever the machine
        }
    }

    @WithEventLoop(scope = LoopScope.CLASS)
    static class BlocksBrieflyOnAClassLoop extends BlocksBriefly {}

    @Test
    void aSlowStepWarningReachesTheTestsReportEntries() {
        for (Class<?> fixture : new Class<?>[] {BlocksBriefly.class, BlocksBrieflyOnAClassLoop.class}) {
            List<ReportEntry> entries = EngineTestKit.engine("junit-jupiter")
                    .selectors(DiscoverySelectors.selectClass(fixture))
                    .execute()
                    .testEvents()
                    .reportingEntryPublished()
                    .map(event -> event.getRequiredPayload(ReportEntry.class))
                    .toList();
            assertThat(entries).hasSize(1);
            assertThat(entries.get(0).getKeyValuePairs()).containsOnlyKeys("loopharness.warning");
            assertThat(entries.get(0).getKeyValuePairs().get("loopharness.warning"))
                    .startsWith("Executing <Task '" + fixture.getSimpleName() + ".sleepsOnTheLoop()' pending> took ")
                    .contains("it was blocking at " + BlocksBriefly.class.getName() + ".sleepsOnTheLoop(");
        }
    }

    // ---- a timer's slow-callback warning names its callback and where it was created ------------------------

    @WithEventLoop
    static class BlocksInATimer {
        @Test
        void armsASlowTimer(EventLoop loop) {
            loop.callLater(Duration.ofMillis(1), () -> {
                try {
                    Thread.sleep(300); // over the 100 ms slow-callback threshold of debug mode
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Async.sleep(Duration.ofMillis(50));
        }
    }

    @WithEventLoop(scope = LoopScope.CLASS)
    static class BlocksInATimerOnAClassLoop extends BlocksInATimer {}

    @Test
    void aTimersSlowCallbackWarningNamesItsCallbackAndCreationSiteInTheTestsReport() {
        for (Class<?> fixture : new Class<?>[] {BlocksInATimer.class, BlocksInATimerOnAClassLoop.class}) {
            Events events = EngineTestKit.engine("junit-jupiter")
                    .selectors(DiscoverySelectors.selectClass(fixture))
                    .execute()
                    .testEvents();
            events.assertStatistics(stats -> stats.succeeded(1));
            List<String> warnings = events.reportingEntryPublished()
                    .map(event -> event.getRequiredPayload(ReportEntry.class)
                            .getKeyValuePairs()
                            .get("loopharness.warning"))
                    .filter(text -> text != null && text.contains("TimerHandle"))
                    .toList();
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0))
                    .startsWith("Executing <TimerHandle when=")
                    .contains(" lambda in " + BlocksInATimer.class.getName() + " created at "
                            + BlocksInATimer.class.getName() + ".armsASlowTimer(DiagnosticsEngineTest.java:")
                    .containsPattern("> took 0\\.[3-9]\\d* seconds|> took [1-9]");
        }
    }
}
