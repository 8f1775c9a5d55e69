package dev.loopharness.junit;

import static dev.loopharness.testing.EngineRuns.failureOf;
import static dev.loopharness.testing.EngineRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.VirtualClock;
import dev.loopharness.VirtualTimeDeadlockException;
import dev.loopharness.mockito.LoopAnswers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * Foreign stages in virtual time, through the engine, in TEST and CLASS scope: a stage the loop settles costs no
 * grace, declared work holds the clock (and is named when the test times out), undeclared work completed after a
 * jump fails the test (or warns), and a mocked future that never completes is a deadlock at once.
 */
class VirtualTimeForeignWorkEngineTest {

    private static final List<Thread> THREADS = new CopyOnWriteArrayList<>();

    @AfterEach
    void joinThreads() throws InterruptedException {
        for (Thread thread : THREADS) {
            thread.join();
        }
        THREADS.clear();
    }

    /** Completes a stage from a thread of its own once a latch opens, after an optional real delay. */
    static CompletableFuture<String> completedBy(String thread, CountDownLatch open, long delayMillis) {
        CompletableFuture<String> stage = new CompletableFuture<>();
        Thread worker = new Thread(
                () -> {
                    try {
                        open.await();
                        Thread.sleep(delayMillis);
                        stage.complete("answer");
                    } catch (InterruptedException e) {
                        stage.completeExceptionally(e);
                    }
                },
                thread);
        THREADS.add(worker);
        worker.start();
        return stage;
    }

    // ---- a stage the loop settles itself costs no grace ----------------------------------------------------

    @WithEventLoop(clock = ClockMode.VIRTUAL, timeout = "30s")
    static class RetriesOnLoopTimers {
        @Test
        void retriesFortyTimesOverAnHour(EventLoop loop, VirtualClock clock) {
            clock.setDeadlockGrace(Duration.ofHours(1)); // a grace per await would outlast the timeout by far
            long start = loop.time();
            for (int attempt = 0; attempt < 40; attempt++) {
                CompletableFuture<String> retry = new CompletableFuture<>();
                loop.callLater(Duration.ofSeconds(90), () -> retry.complete("attempt"));
                Async.await(retry);
            }
            assertThat(loop.time() - start).isEqualTo(Duration.ofHours(1).toNanos());
        }
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL, timeout = "30s", scope = LoopScope.CLASS)
    static class RetriesOnLoopTimersOnAClassLoop extends RetriesOnLoopTimers {}

    @Test
    void awaitingAStageTheLoopSettlesCostsNoGrace() {
        for (Class<?> fixture : new Class<?>[] {RetriesOnLoopTimers.class, RetriesOnLoopTimersOnAClassLoop.class}) {
            run(fixture).assertStatistics(stats -> stats.succeeded(1).failed(0));
        }
    }

    // ---- declared work holds the clock until it settles ----------------------------------------------------

    @WithEventLoop(clock = ClockMode.VIRTUAL, timeout = "30s")
    static class SlowServerCallWrapped {
        @Test
        void aThreeSecondCallInsideATwoSecondVirtualTimeout(EventLoop loop) throws Exception {
            CountDownLatch asked = new CountDownLatch(1);
            CompletableFuture<String> server = completedBy("server", asked, 300);
            String answer = Async.waitFor(
                    () -> {
                        asked.countDown();
                        return Async.await(loop.wrapFuture(server));
                    },
                    Duration.ofSeconds(2));
            assertThat(answer).isEqualTo("answer");
            assertThat(loop.time()).isZero();
        }
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL, timeout = "30s", scope = LoopScope.CLASS)
    static class SlowServerCallWrappedOnAClassLoop extends SlowServerCallWrapped {}

    @Test
    void wrappedWorkHoldsVirtualTimeUntilItSettles() {
        for (Class<?> fixture : new Class<?>[] {SlowServerCallWrapped.class, SlowServerCallWrappedOnAClassLoop.class}) {
            run(fixture).assertStatistics(stats -> stats.succeeded(1).failed(0));
        }
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL, timeout = "500ms")
    static class WrappedWorkThatNeverSettles {
        @Test
        void waitsForAServerThatNeverAnswers(EventLoop loop) {
            loop.callLater(Duration.ofMinutes(1), () -> {});
            Async.await(loop.wrapFuture(new CompletableFuture<String>()));
        }
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL, timeout = "500ms", scope = LoopScope.CLASS)
    static class WrappedWorkThatNeverSettlesOnAClassLoop extends WrappedWorkThatNeverSettles {}

    @Test
    void theTimeoutNamesTheWorkThatHeldTheClock() {
        for (Class<?> fixture :
                new Class<?>[] {WrappedWorkThatNeverSettles.class, WrappedWorkThatNeverSettlesOnAClassLoop.class}) {
            assertThat(failureOf(run(fixture)))
                    .isInstanceOf(LoopTimeoutError.class)
                    .hasMessageStartingWith("Test \"" + fixture.getSimpleName() + ".waitsForAServerThatNeverAnswers()\""
                            + " did not complete within PT0.5S of real time and was cancelled.")
                    .hasMessageContaining("\nVirtual time was held still by 1 piece of declared work on other threads"
                            + " that had not settled:\n  wrapFuture(CompletableFuture) started at "
                            + WrappedWorkThatNeverSettles.class.getName() + ".waitsForAServerThatNeverAnswers(")
                    .hasMessageEndingWith("\nDeclared work (wrapFuture, runInExecutor) holds the clock until it"
                            + " settles: complete it, or cancel it, for the loop's time to move on.");
        }
    }

    // ---- undeclared work completed by another thread after a jump fails the test ------------------------------

    @WithEventLoop(clock = ClockMode.VIRTUAL, timeout = "30s")
    static class AwaitsAnUnwrappedHttpCall {
        @Test
        void awaitsTheClientsFutureDirectly(EventLoop loop, VirtualClock clock) {
            clock.setDeadlockGrace(Duration.ofSeconds(20)); // the worker answers once the timer ran, however slow
            CountDownLatch timerRan = new CountDownLatch(1);
            CompletableFuture<String> response = completedBy("HttpClient-1-Worker-0", timerRan, 0);
            loop.callLater(Duration.ofSeconds(2), timerRan::countDown);
            assertThat(Async.await(response)).isEqualTo("answer");
        }
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL, timeout = "30s", scope = LoopScope.CLASS)
    static class AwaitsAnUnwrappedHttpCallOnAClassLoop extends AwaitsAnUnwrappedHttpCall {}

    @Test
    void anUndeclaredStageCompletedAfterAJumpFailsTheTestNamingSiteThreadJumpAndFix() {
        for (Class<?> fixture :
                new Class<?>[] {AwaitsAnUnwrappedHttpCall.class, AwaitsAnUnwrappedHttpCallOnAClassLoop.class}) {
            String test = fixture.getSimpleName() + ".awaitsTheClientsFutureDirectly()";
            assertThat(failureOf(run(fixture)))
                    .isInstanceOf(LoopCallbackError.class)
                    .hasMessageContaining("1. Undeclared work on another thread: java.lang.IllegalStateException:"
                            + " Virtual time jumped 2.000 s while task '" + test + "' awaited a CompletableFuture at "
                            + AwaitsAnUnwrappedHttpCall.class.getName() + ".awaitsTheClientsFutureDirectly(")
                    .hasMessageContaining("which thread \"HttpClient-1-Worker-0\" then completed: the loop cannot see"
                            + " work on threads it does not own, so its timers ran ahead of that work. Declare the"
                            + " work so that virtual time holds still until it settles: await"
                            + " loop.wrapFuture(stage) instead of the stage, or run it with loop.runInExecutor(...).");
        }
    }

    @Test
    void aSettingTurnsTheUndeclaredCompletionIntoAWarningOnTheTestsReport() {
        for (Class<?> fixture :
                new Class<?>[] {AwaitsAnUnwrappedHttpCall.class, AwaitsAnUnwrappedHttpCallOnAClassLoop.class}) {
            Events events = EngineTestKit.engine("junit-jupiter")
                    .selectors(DiscoverySelectors.selectClass(fixture))
                    .configurationParameter("loopharness.undeclaredWork", "warn")
                    .execute()
                    .testEvents();
            events.assertStatistics(stats -> stats.succeeded(1).failed(0));
            // a loaded machine may add slow-step warnings: only those of foreign work are this test's subject
            List<String> warnings = events.reportingEntryPublished()
                    .map(event -> event.getRequiredPayload(ReportEntry.class)
                            .getKeyValuePairs()
                            .get("loopharness.warning"))
                    .filter(warning -> warning != null && !warning.startsWith("Executing "))
                    .toList();
            assertThat(warnings)
                    .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .satisfies(warning -> assertThat(warning)
                            .startsWith("Virtual time jumped 2.000 s while task '" + fixture.getSimpleName()
                                    + ".awaitsTheClientsFutureDirectly()' awaited a CompletableFuture at ")
                            .contains("await loop.wrapFuture(stage) instead of the stage"));
        }
    }

    @Test
    void anUnknownValueOfTheSettingIsRefusedNamingTheValuesAllowed() {
        Throwable failure = failureOf(EngineTestKit.engine("junit-jupiter")
                .selectors(DiscoverySelectors.selectClass(RetriesOnLoopTimers.class))
                .configurationParameter("loopharness.undeclaredWork", "ignore")
                .execute()
                .testEvents());
        assertThat(failure)
                .isInstanceOf(org.junit.jupiter.api.extension.ParameterResolutionException.class)
                .hasMessageEndingWith(": loopharness.undeclaredWork = 'ignore' is not valid; allowed: FAIL, WARN");
    }

    // ---- a mocked future that never completes is a deadlock at once ----------------------------------------

    /** A collaborator whose method declares a CompletableFuture. */
    interface Quotes {
        CompletableFuture<Double> price(String symbol);
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL, timeout = "20s")
    static class AwaitsAMockThatNeverAnswers {
        @Test
        void awaitsTheMock() {
            Quotes quotes = mock(Quotes.class);
            when(quotes.price("ACME")).thenAnswer(LoopAnswers.neverComplete());
            Async.await(quotes.price("ACME"));
        }
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL, timeout = "20s", scope = LoopScope.CLASS)
    static class AwaitsAMockThatNeverAnswersOnAClassLoop extends AwaitsAMockThatNeverAnswers {}

    @Test
    void awaitingNeverCompleteInAVirtualTestIsADeadlockNotATimeout() {
        for (Class<?> fixture :
                new Class<?>[] {AwaitsAMockThatNeverAnswers.class, AwaitsAMockThatNeverAnswersOnAClassLoop.class}) {
            assertThat(failureOf(run(fixture)))
                    .isInstanceOf(VirtualTimeDeadlockException.class)
                    .hasMessageStartingWith("Deadlock in virtual time on <EventLoop-")
                    .hasMessageContaining("task '" + fixture.getSimpleName() + ".awaitsTheMock()', waiting at "
                            + AwaitsAMockThatNeverAnswers.class.getName() + ".awaitsTheMock(")
                    .hasMessageContaining("\nThreads the loop cannot see may still be working (a socket reader, a"
                            + " CompletableFuture awaited without wrapFuture)")
                    .hasMessageEndingWith("Declare such work with loop.wrapFuture(...) or loop.runInExecutor(...),"
                            + " which hold virtual time still until it settles, or give them longer with"
                            + " VirtualClock.setDeadlockGrace(...).")
                    .hasMessageNotContaining("clock = VIRTUAL");
        }
    }
}
