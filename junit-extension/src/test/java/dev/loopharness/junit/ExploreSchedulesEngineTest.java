package dev.loopharness.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.loopharness.Async;
import dev.loopharness.Task;
import dev.loopharness.mockito.LoopAnswers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.mockito.Mockito;
import org.opentest4j.AssertionFailedError;

/**
 * {@code @ExploreSchedules} through the engine: a planted order-dependent bug that a plain run misses is found,
 * replayed by its seed, shrunk to the one decision that matters, and its fix passes every run.
 */
class ExploreSchedulesEngineTest {

    /**
     * The planted bug: the reader reads 1 ms after the refresh is due, and assumes the refresh happened. On time,
     * it did; with the refresh's timer a little late, it did not.
     */
    static String readAfterRefresh(boolean fixed) throws Exception {
        String[] cache = {"stale"};
        Task<Void> refresher = Async.createTask("refresher", () -> {
            Async.sleep(Duration.ofMillis(10));
            cache[0] = "fresh";
            return null;
        });
        Task<String> reader = Async.createTask("reader", () -> {
            Async.sleep(Duration.ofMillis(11));
            if (fixed) {
                Async.await(refresher);
            }
            return cache[0];
        });
        String read = Async.await(reader);
        Async.await(refresher);
        return read;
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class PlainRun {
        @Test
        void readsTheRefreshedValue() throws Exception {
            assertEquals("fresh", readAfterRefresh(false));
        }
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class Racy {
        @ExploreSchedules
        void readsTheRefreshedValue() throws Exception {
            assertEquals("fresh", readAfterRefresh(false));
        }
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class Fixed {
        @ExploreSchedules
        void readsTheRefreshedValue() throws Exception {
            assertEquals("fresh", readAfterRefresh(true));
        }
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class RacyKeepGoing {
        @ExploreSchedules(keepGoing = true, runs = 40)
        void readsTheRefreshedValue() throws Exception {
            assertEquals("fresh", readAfterRefresh(false));
        }
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class RacyUnderPct {
        @ExploreSchedules(strategy = ExploreSchedules.Strategy.PCT)
        void readsTheRefreshedValue() throws Exception {
            assertEquals("fresh", readAfterRefresh(false));
        }
    }

    /** Three tasks ticking every 2 ms, due at the same instants: lateness and ties both show in the decisions. */
    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class Ticks {
        @ExploreSchedules
        void tick() throws Exception {
            List<Task<Void>> tickers = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                tickers.add(Async.createTask(name, () -> {
                    for (int i = 0; i < 3; i++) {
                        Async.sleep(Duration.ofMillis(2));
                    }
                    return null;
                }));
            }
            for (Task<Void> ticker : tickers) {
                Async.await(ticker);
            }
        }
    }

    /** {@link Ticks} with the seed in the annotation, as a failure report says to replay it. */
    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class TicksReplayedByTheAnnotation {
        @ExploreSchedules(seed = 0x5deece66dL)
        void tick() throws Exception {
            new Ticks().tick();
        }
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class RacyWithoutShrinking {
        @ExploreSchedules(shrink = false)
        void readsTheRefreshedValue() throws Exception {
            assertEquals("fresh", readAfterRefresh(false));
        }
    }

    /** A price feed mocked to answer after 98 ms, asked under a 100 ms timeout: in time, unless a timer is late. */
    interface PriceFeed {
        CompletableFuture<Double> price(String symbol);
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class MockAnswerAgainstATimeout {
        @ExploreSchedules
        void answersInTime() throws Exception {
            PriceFeed feed = Mockito.mock(PriceFeed.class);
            Mockito.when(feed.price("ACME")).thenAnswer(LoopAnswers.completeAfter(Duration.ofMillis(98), 101.5));
            Task<Double> asking = Async.createTask("asking", () -> Async.await(feed.price("ACME")));
            assertEquals(101.5, Async.waitFor(asking, Duration.ofMillis(100)));
        }
    }

    @WithEventLoop
    static class OnTheRealClock {
        @ExploreSchedules
        void explores() {}
    }

    @Test
    void aPlainRunMissesTheBug() {
        EngineExecutionResults results = run(PlainRun.class, Map.of());
        results.testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
    }

    @Test
    void explorationFindsTheBugAndSaysHowToReplayIt() {
        Throwable failure = firstFailure(run(Racy.class, Map.of()));
        assertThat(failure)
                .isInstanceOf(ExploredScheduleError.class)
                .hasCauseInstanceOf(AssertionFailedError.class)
                .hasMessageMatching(
                        "(?s)Run \\d+ of 100 of an explored schedule failed \\(strategy UNIFORM, seed 0x[0-9a-f]+\\):"
                                + " org.opentest4j.AssertionFailedError: expected: <fresh> but was: <stale>\n"
                                + "Replay it: @ExploreSchedules\\(seed = 0x[0-9a-f]+L, runs = 1\\) or -Dloopharness.seed=0x[0-9a-f]+\n"
                                + "It departed from the unperturbed schedule in \\d+ decisions?:\n.*")
                .hasMessageContaining("timer of task 'refresher' due at 0.010 s (created at ")
                .hasMessageContaining(", after timer of task 'reader' due at 0.011 s");
    }

    @Test
    void theReportedSeedReplaysTheFailureTenTimesOutOfTen() {
        String report = firstFailure(run(Racy.class, Map.of())).getMessage();
        String seed = seedIn(report);
        String departures = report.substring(report.indexOf("It departed"), report.indexOf("\nShrinking follows"));
        for (int i = 0; i < 10; i++) {
            Throwable replay = firstFailure(run(Racy.class, Map.of("loopharness.seed", seed)));
            assertThat(replay.getMessage())
                    .startsWith("Run 1 of 1 of an explored schedule failed (strategy UNIFORM, seed " + seed + ")")
                    .contains(departures);
        }
    }

    @Test
    void shrinkingReportsTheOneDecisionThatMatters() {
        EngineExecutionResults results = run(Racy.class, Map.of());
        List<Event> failed = results.testEvents().failed().list();
        assertEquals(2, failed.size(), "the failing run and the shrunk one");
        Event shrunk = failed.get(1);
        assertThat(shrunk.getTestDescriptor().getDisplayName())
                .matches("run shrunk \\(seed 0x[0-9a-f]+, perturbing only #0\\)");
        Throwable failure = failureOf(shrunk);
        assertThat(failure)
                .isInstanceOf(ExploredScheduleError.class)
                .hasCauseInstanceOf(AssertionFailedError.class)
                .hasMessageMatching(
                        "(?s)Run \\d+ \\(strategy UNIFORM, seed 0x[0-9a-f]+\\) still fails with 1 of its \\d+"
                                + " departures? from the unperturbed schedule, after \\d+ shrinking attempts?: .*")
                .hasMessageContaining(
                        "\nThe decisions that matter in 1 decision:\n  #0 timer of task 'refresher' due at"
                                + " 0.010 s (created at ");
        assertThat(failure.getMessage()
                        .lines()
                        .filter(line -> line.startsWith("  #"))
                        .count())
                .isEqualTo(1);
        assertThat(failure.getMessage()).contains(" ms late, after timer of task 'reader' due at 0.011 s");
        assertThat(results.testEvents().aborted().list())
                .allSatisfy(event ->
                        assertThat(event.getTestDescriptor().getDisplayName()).startsWith("shrink "));
    }

    @Test
    void theFixedVersionPassesEveryRun() {
        run(Fixed.class, Map.of())
                .testEvents()
                .assertStatistics(stats -> stats.succeeded(100).failed(0).aborted(0));
    }

    @Test
    void keepingGoingCountsTheFailures() {
        EngineExecutionResults results = run(RacyKeepGoing.class, Map.of());
        long failed = results.testEvents().failed().count();
        assertThat(failed).isGreaterThan(1);
        results.testEvents().assertStatistics(stats -> stats.started(40));
        List<String> summaries = entries(results, "loopharness.explore");
        assertThat(summaries).hasSize(1);
        assertThat(summaries.get(0)).startsWith(failed + " of 40 explored runs failed (UNIFORM); seeds: 0x");
    }

    @Test
    void thePctStrategyFindsTheBugTooAndItsReplayNamesIt() {
        Throwable failure = firstFailure(run(RacyUnderPct.class, Map.of()));
        assertThat(failure)
                .isInstanceOf(ExploredScheduleError.class)
                .hasMessageContaining("(strategy PCT, seed 0x")
                .hasMessageContaining("L, runs = 1, strategy = PCT) or -Dloopharness.seed=0x");
    }

    @Test
    void withoutShrinkingTheFirstFailureEndsTheExploration() {
        EngineExecutionResults results = run(RacyWithoutShrinking.class, Map.of());
        results.testEvents().assertStatistics(stats -> stats.failed(1).aborted(0));
        assertThat(firstFailure(results).getMessage()).doesNotContain("Shrinking follows");
    }

    @Test
    void aDelayedMockAnswerIsATimerThatMovesToo() {
        Throwable failure = firstFailure(run(MockAnswerAgainstATimeout.class, Map.of()));
        assertThat(failure)
                .isInstanceOf(ExploredScheduleError.class)
                .hasCauseInstanceOf(TimeoutException.class)
                .hasMessageContaining("timer of task 'asking' due at 0.098 s (created at ")
                .hasMessageContaining(" ms late, after timer of task 'MockAnswerAgainstATimeout.answersInTime()' due at"
                        + " 0.100 s (created at " + MockAnswerAgainstATimeout.class.getName() + ".answersInTime(");
    }

    @Test
    void exploringLeavesNoThreadBehind() {
        assertLeavesNoThreadBehind(
                () -> run(Racy.class, Map.of()).testEvents().assertStatistics(stats -> stats.failed(2)));
    }

    /** Runs an exploration and checks that no loop or task thread it started is still alive. */
    static void assertLeavesNoThreadBehind(Runnable exploration) {
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        exploration.run();
        Set<Thread> after = new HashSet<>(Thread.getAllStackTraces().keySet());
        after.removeAll(before);
        assertThat(after.stream().filter(Thread::isAlive).map(Thread::getName))
                .as("threads started by the exploration and still alive")
                .allSatisfy(
                        name -> assertThat(name).doesNotStartWith("EventLoop").doesNotContain("Task-"));
    }

    @Test
    void exploringNeedsVirtualTime() {
        Throwable failure = firstFailure(run(OnTheRealClock.class, Map.of()));
        assertThat(failure)
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@ExploreSchedules on OnTheRealClock.explores() needs @WithEventLoop(clock = VIRTUAL), but"
                        + " its clock is REAL: schedules are explored on a fresh loop per run, in virtual time");
    }

    @Test
    void aBadSeedIsRefusedWithWhatIsAllowed() {
        Throwable failure = firstFailure(run(Fixed.class, Map.of("loopharness.seed", "0xnope")));
        assertThat(failure)
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("loopharness.seed = '0xnope' is not valid; allowed: a non-zero seed as a failure report"
                        + " gives it, such as 0x5deece66d");
    }

    /**
     * The same seed takes the same decisions, on any JVM: the decisions of one seed are checked in, and the build
     * runs this on JDK 17 and on the newest JDK.
     */
    @Test
    void theSameSeedTakesTheSameDecisionsAsCheckedIn() throws IOException {
        assertDecisionsAsCheckedIn(run(Ticks.class, Map.of("loopharness.seed", "0x5deece66d")));
    }

    @Test
    void theSeedInTheAnnotationReplaysTheSameDecisions() throws IOException {
        assertDecisionsAsCheckedIn(run(TicksReplayedByTheAnnotation.class, Map.of()));
    }

    private void assertDecisionsAsCheckedIn(EngineExecutionResults results) throws IOException {
        results.testEvents().assertStatistics(stats -> stats.succeeded(1));
        List<String> decisions = entries(results, "loopharness.schedule");
        assertThat(decisions).hasSize(1);
        try (InputStream expected = getClass().getResourceAsStream("/explore/decisions-0x5deece66d.txt")) {
            assertThat(expected).as("the checked-in decisions").isNotNull();
            String text = new String(expected.readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(text, normalise(decisions.get(0)));
        }
    }

    /** Creation sites name this file's lines; the checked-in text keeps the file name and drops the numbers. */
    private static String normalise(String decisions) {
        return decisions.replaceAll("ExploreSchedulesEngineTest\\.java:\\d+", "ExploreSchedulesEngineTest.java:N");
    }

    static EngineExecutionResults run(Class<?> fixture, Map<String, String> configuration) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameters(configuration)
                .selectors(selectClass(fixture))
                .execute();
    }

    static Throwable firstFailure(EngineExecutionResults results) {
        List<Event> failed = new ArrayList<>(results.allEvents().failed().list());
        assertThat(failed).as("failed events").isNotEmpty();
        return failureOf(failed.get(0));
    }

    static Throwable failureOf(Event event) {
        return event.getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable)
                .orElseThrow();
    }

    static List<String> entries(EngineExecutionResults results, String key) {
        return results.allEvents().reportingEntryPublished().stream()
                .map(event -> event.getPayload(ReportEntry.class).orElseThrow().getKeyValuePairs())
                .filter(pairs -> pairs.containsKey(key))
                .map(pairs -> pairs.get(key))
                .collect(Collectors.toList());
    }

    static String seedIn(String report) {
        Matcher matcher = Pattern.compile("seed (0x[0-9a-f]+)").matcher(report);
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }
}
