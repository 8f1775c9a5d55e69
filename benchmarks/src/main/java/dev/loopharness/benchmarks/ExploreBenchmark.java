package dev.loopharness.benchmarks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.loopharness.Async;
import dev.loopharness.Task;
import dev.loopharness.junit.ClockMode;
import dev.loopharness.junit.ExploreSchedules;
import dev.loopharness.junit.WithEventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue #19: the cost of a run of {@code @ExploreSchedules} beside the same test run plainly. One invocation runs
 * a fixture of {@value #RUNS} runs of a small test (three tasks awaiting three timers each, in virtual time)
 * through the JUnit Platform launcher: {@link #repeated} as {@code @RepeatedTest(100)} under {@code
 * @WithEventLoop(clock = VIRTUAL)}, the baseline; {@link #explored} as {@code @ExploreSchedules(runs = 100)}, every
 * run on a seeded schedule. Scores are per run; the target is {@value #RUNS} explored runs well under a second.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ExploreBenchmark {

    static final int RUNS = 100;

    /** The test: three tasks, each awaiting three timers of 1 ms. */
    static void awaitAFewTimers() throws Exception {
        List<Task<Void>> tasks = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            tasks.add(Async.createTask(name, () -> {
                for (int i = 0; i < 3; i++) {
                    Async.sleep(Duration.ofMillis(1));
                }
                return null;
            }));
        }
        for (Task<Void> task : tasks) {
            Async.await(task);
        }
    }

    /** The baseline: the test run {@value #RUNS} times plainly. */
    @WithEventLoop(clock = ClockMode.VIRTUAL)
    public static class Repeated {
        @RepeatedTest(RUNS)
        void test() throws Exception {
            awaitAFewTimers();
        }
    }

    /** The test explored over {@value #RUNS} seeded schedules. */
    @WithEventLoop(clock = ClockMode.VIRTUAL)
    public static class Explored {
        @ExploreSchedules(runs = RUNS)
        void test() throws Exception {
            awaitAFewTimers();
        }
    }

    @State(Scope.Thread)
    public static class Engine {
        Launcher launcher;

        @Setup(Level.Trial)
        public void setUp() {
            launcher = LauncherFactory.create();
        }

        /** Runs the fixture; returns the number of tests run, or throws unless all {@value #RUNS} passed. */
        int run(Class<?> fixture) {
            ExtensionOverheadBenchmark.Outcome outcome = new ExtensionOverheadBenchmark.Outcome();
            launcher.execute(
                    LauncherDiscoveryRequestBuilder.request()
                            .selectors(selectClass(fixture))
                            .build(),
                    outcome);
            if (outcome.succeeded != RUNS || outcome.other != 0) {
                throw new IllegalStateException(
                        fixture.getSimpleName() + ": expected " + RUNS + " successful runs, got " + outcome.succeeded
                                + " successful, " + outcome.other + " failed, aborted or skipped",
                        outcome.firstProblem);
            }
            return outcome.succeeded;
        }
    }

    @Benchmark
    @OperationsPerInvocation(RUNS)
    public int repeated(Engine engine) {
        return engine.run(Repeated.class);
    }

    @Benchmark
    @OperationsPerInvocation(RUNS)
    public int explored(Engine engine) {
        return engine.run(Explored.class);
    }
}
