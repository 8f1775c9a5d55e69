package dev.loopharness.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Row 6 on a loaded machine: the fixtures of {@link ExtensionOverheadBenchmark} ({@code plain}, {@code runTest},
 * the extension with debug on and off and with each body on a thread of the loop's own) run in turn in one JVM,
 * round after round in a rotating order, so that a burst of load falls on all five alike; JMH runs each for seconds
 * at a different moment. Prints, per fixture, the
 * median per-test wall time and CPU time of the JUnit thread over the measured rounds, the extra cost over {@code
 * plain} and its ratio to {@code runTest}'s extra cost.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.loopharness.benchmarks.ExtensionOverheadInterleaved [warmup rounds] [rounds]
 * </pre>
 */
public final class ExtensionOverheadInterleaved {

    private ExtensionOverheadInterleaved() {}

    /** A fixture of the benchmark and its configuration parameters. */
    private record Suite(
            String name, Class<?> fixture, Map<String, String> parameters, List<Double> wall, List<Double> cpu) {
        Suite(String name, Class<?> fixture, Map<String, String> parameters) {
            this(name, fixture, parameters, new ArrayList<>(), new ArrayList<>());
        }
    }

    /**
     * Runs the rounds and prints the table.
     *
     * @param args the number of warmup rounds (default 40) and of measured rounds (default 60)
     */
    public static void main(String[] args) {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        List<Suite> suites = List.of(
                new Suite("plain", ExtensionOverheadBenchmark.Plain.class, ExtensionOverheadBenchmark.DEFAULTS),
                new Suite("runTest", ExtensionOverheadBenchmark.InRunTest.class, ExtensionOverheadBenchmark.DEFAULTS),
                new Suite(
                        "withEventLoop",
                        ExtensionOverheadBenchmark.OnTheLoop.class,
                        ExtensionOverheadBenchmark.DEFAULTS),
                new Suite(
                        "withEventLoopNoDebug",
                        ExtensionOverheadBenchmark.OnTheLoop.class,
                        ExtensionOverheadBenchmark.NO_DEBUG),
                new Suite(
                        "separateThread",
                        ExtensionOverheadBenchmark.OnTheLoop.class,
                        ExtensionOverheadBenchmark.SEPARATE_THREAD));
        ExtensionOverheadBenchmark.Engine engine = new ExtensionOverheadBenchmark.Engine();
        engine.setUp();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < warmup + rounds; round++) {
            for (int i = 0; i < suites.size(); i++) {
                Suite suite = suites.get((i + round) % suites.size());
                long cpuStart = threads.getCurrentThreadCpuTime();
                long wallStart = System.nanoTime();
                engine.run(suite.fixture(), suite.parameters());
                long wall = System.nanoTime() - wallStart;
                long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
                if (round >= warmup) {
                    suite.wall().add(wall / 1e3 / ExtensionOverheadBenchmark.TESTS);
                    suite.cpu().add(cpu / 1e3 / ExtensionOverheadBenchmark.TESTS);
                }
            }
        }
        print(suites, rounds);
    }

    private static void print(List<Suite> suites, int rounds) {
        double plainWall = median(suites.get(0).wall());
        double plainCpu = median(suites.get(0).cpu());
        double runTestWall = median(suites.get(1).wall()) - plainWall;
        double runTestCpu = median(suites.get(1).cpu()) - plainCpu;
        System.out.printf(
                Locale.ROOT,
                "JDK %s, %d rounds; µs per test, medians; extra = minus plain; ratio = extra / runTest's extra%n",
                System.getProperty("java.version"),
                rounds);
        for (Suite suite : suites) {
            double wall = median(suite.wall());
            double cpu = median(suite.cpu());
            System.out.printf(
                    Locale.ROOT,
                    "%-21s wall %7.1f extra %+6.1f ratio %5.2f | cpu %7.1f extra %+6.1f ratio %5.2f%n",
                    suite.name(),
                    wall,
                    wall - plainWall,
                    (wall - plainWall) / runTestWall,
                    cpu,
                    cpu - plainCpu,
                    (cpu - plainCpu) / runTestCpu);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
