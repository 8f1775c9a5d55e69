package dev.loopharness.junit;

import static dev.loopharness.junit.ExploreSchedulesEngineTest.assertLeavesNoThreadBehind;
import static dev.loopharness.junit.ExploreSchedulesEngineTest.entries;
import static dev.loopharness.junit.ExploreSchedulesEngineTest.failureOf;
import static dev.loopharness.junit.ExploreSchedulesEngineTest.firstFailure;
import static dev.loopharness.junit.ExploreSchedulesEngineTest.readAfterRefresh;
import static dev.loopharness.junit.ExploreSchedulesEngineTest.run;
import static dev.loopharness.junit.ExploreSchedulesEngineTest.seedIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loopharness.Async;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.opentest4j.AssertionFailedError;

/**
 * {@code @ExploreSchedules} on a test class, through the engine: the whole class runs once per schedule, a planted
 * order-dependent bug that a plain run misses is found and replayed by its seed, and its fix passes every run.
 */
class ExploreSchedulesClassEngineTest {

    /** The seed of the first failing run of {@link RacyCache} (run 8): its reader reads before the refresh. */
    static final long FAILING_SEED = 0xdf87d20770c81bfbL;

    /** A cache's two tests; the first reads across an await, and only its fixed version waits for the refresh. */
    @WithEventLoop(clock = ClockMode.VIRTUAL)
    abstract static class CacheTests {
        abstract boolean fixed();

        @Test
        void readsTheRefreshedValue() throws Exception {
            assertEquals("fresh", readAfterRefresh(fixed()));
        }

        @Test
        void sleepsAnHour() {
            Async.sleep(Duration.ofHours(1));
            assertThat(Async.loop().time())
                    .isGreaterThanOrEqualTo(Duration.ofHours(1).toNanos());
        }
    }

    static class PlainCache extends CacheTests {
        @Override
        boolean fixed() {
            return false;
        }
    }

    @ExploreSchedules
    static class RacyCache extends CacheTests {
        @Override
        boolean fixed() {
            return false;
        }
    }

    @ExploreSchedules
    static class FixedCache extends CacheTests {
        @Override
        boolean fixed() {
            return true;
        }
    }

    @ExploreSchedules(keepGoing = true, runs = 40)
    static class RacyCacheKeepGoing extends CacheTests {
        @Override
        boolean fixed() {
            return false;
        }
    }

    /** {@link RacyCache} with a failing seed in the annotation, as its failure report says to replay it. */
    @ExploreSchedules(seed = FAILING_SEED, runs = 1)
    static class RacyCacheReplayed extends CacheTests {
        @Override
        boolean fixed() {
            return false;
        }
    }

    @ExploreSchedules
    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class AlsoOnAMethod {
        @Test
        void plain() {}

        @ExploreSchedules
        void explored() {}
    }

    @ExploreSchedules
    @WithEventLoop
    static class ClassOnTheRealClock {
        @Test
        void runs() {}
    }

    @ExploreSchedules
    @WithEventLoop(clock = ClockMode.VIRTUAL, scope = LoopScope.CLASS)
    static class ClassScoped {
        @Test
        void runs() {}
    }

    @ExploreSchedules
    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class AMethodOnTheRealClock {
        @Test
        @WithEventLoop(clock = ClockMode.REAL)
        void onTheRealClock() {}
    }

    @Test
    void aPlainRunMissesTheBug() {
        run(PlainCache.class, Map.of())
                .testEvents()
                .assertStatistics(stats -> stats.succeeded(2).failed(0));
    }

    @Test
    void theClassFormFindsTheBugAndSaysHowToReplayIt() {
        EngineExecutionResults results = run(RacyCache.class, Map.of());
        List<Event> failed = results.testEvents().failed().list();
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).getTestDescriptor().getDisplayName()).isEqualTo("readsTheRefreshedValue()");
        Throwable failure = failureOf(failed.get(0));
        assertThat(failure)
                .isInstanceOf(ExploredScheduleError.class)
                .hasCauseInstanceOf(AssertionFailedError.class)
                .hasMessageMatching("(?s)Run \\d+ of 100 of an explored schedule failed \\(strategy UNIFORM, seed"
                        + " 0x[0-9a-f]+\\): org.opentest4j.AssertionFailedError: expected: <fresh> but was: <stale>\n"
                        + "Replay it: @ExploreSchedules\\(seed = 0x[0-9a-f]+L, runs = 1\\) on the class or"
                        + " -Dloopharness.seed=0x[0-9a-f]+\n"
                        + "It departed from the unperturbed schedule in \\d+ decisions?:\n.*")
                .hasMessageContaining("timer of task 'refresher' due at 0.010 s (created at ")
                .hasMessageEndingWith("\nTo shrink it, replay the seed on the failing method alone: move"
                        + " @ExploreSchedules(seed = " + seedIn(failure.getMessage())
                        + "L, runs = 1) from the class to the method (the class form does not shrink).");
        int failingRun = Integer.parseInt(runIn(failure.getMessage()));
        assertThat(invocationNames(results))
                .as("the class ran once per run, up to the failing one, and did not shrink")
                .hasSize(failingRun)
                .allSatisfy(name -> assertThat(name).matches("run \\d+ \\(seed 0x[0-9a-f]+\\)"));
        results.testEvents()
                .assertStatistics(stats -> stats.started(2 * failingRun).aborted(0));
    }

    @Test
    void theReportedSeedReplaysTheFailureOfTheClassTenTimesOutOfTen() {
        String report = firstFailure(run(RacyCache.class, Map.of())).getMessage();
        String seed = seedIn(report);
        String departures = report.substring(report.indexOf("It departed"), report.indexOf("\nTo shrink it"));
        for (int i = 0; i < 10; i++) {
            EngineExecutionResults replay = run(RacyCache.class, Map.of("loopharness.seed", seed));
            assertThat(invocationNames(replay)).containsExactly("run 1 (seed " + seed + ")");
            assertThat(firstFailure(replay).getMessage())
                    .startsWith("Run 1 of 1 of an explored schedule failed (strategy UNIFORM, seed " + seed + ")")
                    .contains(departures);
        }
    }

    @Test
    void theReportedSeedReplaysOnTheMethodAloneWhereItShrinks() {
        String report = firstFailure(run(RacyCache.class, Map.of())).getMessage();
        String seed = seedIn(report);
        String departures = report.substring(report.indexOf("It departed"), report.indexOf("\nTo shrink it"));
        EngineExecutionResults onTheMethod =
                run(ExploreSchedulesEngineTest.Racy.class, Map.of("loopharness.seed", seed));
        List<Event> failed = onTheMethod.testEvents().failed().list();
        assertThat(failureOf(failed.get(0)).getMessage()).contains(departures);
        assertThat(failed.get(failed.size() - 1).getTestDescriptor().getDisplayName())
                .isEqualTo("run shrunk (seed " + seed + ", perturbing only #0)");
    }

    @Test
    void theSeedInTheAnnotationOnTheClassReplaysIt() {
        Throwable failure = firstFailure(run(RacyCacheReplayed.class, Map.of()));
        assertThat(failure)
                .isInstanceOf(ExploredScheduleError.class)
                .hasMessageStartingWith(
                        "Run 1 of 1 of an explored schedule failed (strategy UNIFORM, seed " + "0xdf87d20770c81bfb)")
                .hasMessageContaining("\n  #0 timer of task 'refresher' due at 0.010 s (created at ");
    }

    @Test
    void theFixedClassPassesEveryRun() {
        EngineExecutionResults results = run(FixedCache.class, Map.of());
        results.testEvents()
                .assertStatistics(stats -> stats.succeeded(200).failed(0).aborted(0));
        List<String> names = invocationNames(results);
        assertThat(names).hasSize(100);
        for (int i = 0; i < names.size(); i++) {
            assertThat(names.get(i)).matches("run " + (i + 1) + " \\(seed 0x[0-9a-f]+\\)");
        }
        assertThat(names.stream().map(ExploreSchedulesEngineTest::seedIn).distinct())
                .as("a seed of its own per run")
                .hasSize(100);
    }

    @Test
    void keepingGoingCountsTheFailedInvocations() {
        EngineExecutionResults results = run(RacyCacheKeepGoing.class, Map.of());
        long failed = results.testEvents().failed().count();
        assertThat(failed).isGreaterThan(1);
        assertThat(invocationNames(results)).hasSize(40);
        List<String> summaries = entries(results, "loopharness.explore");
        assertThat(summaries).hasSize(1);
        assertThat(summaries.get(0)).startsWith(failed + " of 40 explored runs failed (UNIFORM); seeds: 0x");
        assertThat(firstFailure(results).getMessage()).doesNotContain("To shrink it");
    }

    @Test
    void exploringAClassLeavesNoThreadBehind() {
        assertLeavesNoThreadBehind(() ->
                run(RacyCacheKeepGoing.class, Map.of()).testEvents().assertStatistics(stats -> stats.started(80)));
    }

    @Test
    void theClassAndOneOfItsMethodsBothExploringIsRefused() {
        EngineExecutionResults results = run(AlsoOnAMethod.class, Map.of());
        assertThat(firstFailure(results))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@ExploreSchedules is on the class AlsoOnAMethod and on its method"
                        + " AlsoOnAMethod.explored(): the class form already explores every test of the class;"
                        + " remove it from the method, or from the class to explore the method alone");
        results.testEvents().assertStatistics(stats -> stats.started(0));
    }

    @Test
    void theClassFormNeedsVirtualTime() {
        assertThat(firstFailure(run(ClassOnTheRealClock.class, Map.of())))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@ExploreSchedules on ClassOnTheRealClock needs @WithEventLoop(clock = VIRTUAL), but"
                        + " its clock is REAL: schedules are explored on a fresh loop per run, in virtual time");
    }

    @Test
    void theClassFormNeedsALoopPerTest() {
        assertThat(firstFailure(run(ClassScoped.class, Map.of())))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@ExploreSchedules on ClassScoped needs @WithEventLoop(scope = TEST), but"
                        + " its scope is CLASS: schedules are explored on a fresh loop per run, in virtual time");
    }

    @Test
    void aTestOfAnExploredClassThatLeavesVirtualTimeIsRefused() {
        EngineExecutionResults results = run(AMethodOnTheRealClock.class, Map.of());
        assertThat(firstFailure(results))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@ExploreSchedules on AMethodOnTheRealClock.onTheRealClock() needs @WithEventLoop(clock"
                        + " = VIRTUAL), but its clock is REAL: schedules are explored on a fresh loop per run, in"
                        + " virtual time");
        assertThat(invocationNames(results))
                .as("the first failure ends the exploration")
                .hasSize(1);
        assertThat(firstFailure(run(AMethodOnTheRealClock.class, Map.of("loopharness.seed", "0x5deece66d"))))
                .as("refused the same way when a seed is replayed")
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("AMethodOnTheRealClock.onTheRealClock() needs @WithEventLoop(clock = VIRTUAL)");
    }

    /** The display names of the class invocations, in the order they started. */
    private static List<String> invocationNames(EngineExecutionResults results) {
        return results.containerEvents().started().stream()
                .map(event -> event.getTestDescriptor().getDisplayName())
                .filter(name -> name.startsWith("run "))
                .collect(Collectors.toList());
    }

    private static String runIn(String report) {
        Matcher matcher = Pattern.compile("^Run (\\d+) of").matcher(report);
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }
}
