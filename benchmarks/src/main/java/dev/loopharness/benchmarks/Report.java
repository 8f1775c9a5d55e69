package dev.loopharness.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns JMH's JSON results (and, if given, {@code asyncio_baseline.py}'s) into the table of targets: each row a
 * figure, its baseline from the same run, their ratio, the target and whether it is met. Markdown, so that the
 * output can go into the README as it is.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.loopharness.benchmarks.Report \
 *     [--python asyncio.json] [--machine "text"] LABEL=jmh-result.json ...
 * </pre>
 */
public final class Report {

    private static final String PACKAGE = "dev.loopharness.benchmarks.";

    private Report() {}

    public static void main(String[] args) throws IOException {
        Map<String, Object> python = null;
        String machine = null;
        Map<String, Path> runs = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--python") && i + 1 < args.length) {
                python = Json.object(Json.parse(read(Path.of(args[++i]))));
            } else if (arg.equals("--machine") && i + 1 < args.length) {
                machine = args[++i];
            } else if (arg.contains("=")) {
                runs.put(arg.substring(0, arg.indexOf('=')), Path.of(arg.substring(arg.indexOf('=') + 1)));
            } else {
                runs.put(Path.of(arg).getFileName().toString(), Path.of(arg));
            }
        }
        if (runs.isEmpty()) {
            System.err.println("usage: Report [--python asyncio.json] [--machine text] LABEL=jmh.json ...");
            System.exit(2);
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (machine != null) {
            out.println("Machine: " + machine);
            out.println();
        }
        Map<String, Results> loaded = new LinkedHashMap<>();
        for (Map.Entry<String, Path> run : runs.entrySet()) {
            loaded.put(run.getKey(), Results.load(read(run.getValue())));
        }
        for (Map.Entry<String, Results> run : loaded.entrySet()) {
            new Table(run.getKey(), run.getValue(), otherJdk(run.getValue(), loaded.values()), python).print(out);
        }
    }

    /**
     * The run that row 10 compares with: for a JDK without virtual threads, the first run on a JDK with them, and
     * the other way round; {@code null} if there is none.
     */
    static Results otherJdk(Results run, Iterable<Results> all) {
        for (Results other : all) {
            if (other != run && (other.major >= VIRTUAL_THREADS) != (run.major >= VIRTUAL_THREADS)) {
                return other;
            }
        }
        return null;
    }

    /** The first JDK with virtual threads, which the loop's tasks run on from there on. */
    static final int VIRTUAL_THREADS = 21;

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** One benchmark's outcome, in nanoseconds per operation. */
    record Result(String mode, double score, double error, double p50, Map<String, Double> secondary) {

        /** The figure the table uses: the median for sampled benchmarks, else the mean. */
        double value() {
            return mode.equals("sample") ? p50 : score;
        }

        String describe() {
            if (mode.equals("sample")) {
                return "p50 " + Units.time(p50);
            }
            return Double.isNaN(error) ? Units.time(score) : Units.time(score) + " ± " + Units.time(error);
        }
    }

    /** The results of one JMH run, by "Class.method". */
    static final class Results {
        final Map<String, Result> byName = new LinkedHashMap<>();
        String jdk = "?";
        String vm = "?";
        int major;

        static Results load(String json) {
            Results results = new Results();
            for (Object element : Json.array(Json.parse(json))) {
                Map<String, Object> entry = Json.object(element);
                String name = Json.string(entry.get("benchmark"));
                if (name.startsWith(PACKAGE)) {
                    name = name.substring(PACKAGE.length());
                }
                results.jdk = Json.string(entry.get("jdkVersion"));
                results.vm = Json.string(entry.get("vmName")) + " " + Json.string(entry.get("vmVersion"));
                results.major = majorVersion(results.jdk);
                Map<String, Object> primary = Json.object(entry.get("primaryMetric"));
                double scale = Units.nanosPer(Json.string(primary.get("scoreUnit")));
                double p50 = Double.NaN;
                Object percentiles = primary.get("scorePercentiles");
                if (percentiles != null) {
                    p50 = Json.number(Json.object(percentiles).get("50.0")) * scale;
                }
                Map<String, Double> secondary = new LinkedHashMap<>();
                Object secondaries = entry.get("secondaryMetrics");
                if (secondaries != null) {
                    for (Map.Entry<String, Object> metric :
                            Json.object(secondaries).entrySet()) {
                        secondary.put(
                                metric.getKey(),
                                Json.number(Json.object(metric.getValue()).get("score")));
                    }
                }
                results.byName.put(
                        name,
                        new Result(
                                Json.string(entry.get("mode")),
                                Json.number(primary.get("score")) * scale,
                                Json.number(primary.get("scoreError")) * scale,
                                p50,
                                secondary));
            }
            return results;
        }

        static int majorVersion(String version) {
            String digits = version.startsWith("1.") ? version.substring(2) : version;
            int end = 0;
            while (end < digits.length() && Character.isDigit(digits.charAt(end))) {
                end++;
            }
            return end == 0 ? 0 : Integer.parseInt(digits.substring(0, end));
        }

        Result get(String name) {
            return byName.get(name);
        }
    }

    /** A target: a bound on the ratio, on the figure itself, or on the figure minus the first baseline. */
    record Target(String text, double bound, On on) {
        static final Target NONE = new Target("—", Double.NaN, On.FIGURE);
        static final Target COMPARISON = new Target("none (a comparison)", Double.NaN, On.FIGURE);

        /** What the bound applies to. */
        enum On {
            FIGURE,
            RATIO,
            DIFFERENCE
        }

        static Target ratio(double max) {
            return new Target("ratio ≤ " + Units.number(max) + "×", max, On.RATIO);
        }

        static Target figure(double maxNanos, String note) {
            return new Target("≤ " + Units.time(maxNanos) + note, maxNanos, On.FIGURE);
        }

        static Target difference(double maxNanos, String note) {
            return new Target("≤ " + Units.time(maxNanos) + " more" + note, maxNanos, On.DIFFERENCE);
        }

        /** This target on JDK 25 and newer; elsewhere, no bound, and {@code elsewhere} says why. */
        Target onJdk25Only(boolean jdk25, String elsewhere) {
            return jdk25 ? this : new Target(elsewhere, Double.NaN, on);
        }

        String verdict(double figure, double ratio, double difference) {
            if (Double.isNaN(bound)) {
                return "";
            }
            double measured = on == On.RATIO ? ratio : on == On.DIFFERENCE ? difference : figure;
            if (Double.isNaN(measured)) {
                return "not measured";
            }
            return measured <= bound ? "**met**" : "**not met**";
        }
    }

    /** The table for one run. */
    static final class Table {
        private final String label;
        private final Results results;
        private final Results otherJdk;
        private final Map<String, Object> python;
        private final List<String[]> rows = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();

        /**
         * @param otherJdk the run on the other side of JDK 21 (virtual threads), for row 10's baseline; or {@code
         *     null}
         */
        Table(String label, Results results, Results otherJdk, Map<String, Object> python) {
            this.label = label;
            this.results = results;
            this.otherJdk = otherJdk;
            this.python = python;
        }

        void print(PrintStream out) {
            build();
            out.println("### " + label + ": JDK " + results.jdk + " (" + results.vm + ")");
            out.println();
            out.println("| # | measure | figure | baseline | baseline figure | ratio | target | result |");
            out.println("|---|---|---|---|---|---|---|---|");
            for (String[] row : rows) {
                out.println("| " + String.join(" | ", row) + " |");
            }
            out.println();
            for (String note : notes) {
                out.println("- " + note);
            }
            out.println();
        }

        private void build() {
            boolean jdk25 = results.major >= 25;
            group(
                    "1",
                    "callSoon + run inside the loop, per callback (mean)",
                    "CallSoonBenchmark.callSoonAndRun",
                    Target.ratio(4),
                    baseline("ArrayDeque add/poll/run", "ArrayDequeBaseline.addPollRun"));
            group(
                    "2",
                    "callSoonThreadsafe from a foreign thread, per callback, until run (mean)",
                    "ThreadsafeBenchmark.loopCallSoonThreadsafe",
                    Target.figure(25, ""),
                    baseline("ConcurrentLinkedQueue + consumer thread", "ThreadsafeBenchmark.concurrentLinkedQueue"),
                    baseline("ScheduledThreadPoolExecutor(1).execute", "ThreadsafeBenchmark.scheduledExecutor"),
                    baseline(
                            "Netty DefaultEventLoop.execute (comparison)", "ThreadsafeBenchmark.nettyDefaultEventLoop"),
                    baseline("Netty NIO event loop.execute (comparison)", "ThreadsafeBenchmark.nettyNioEventLoop"));
            group(
                    "3",
                    "100,000 timers in virtual time, per timer (mean)",
                    "TimerBenchmark.loopVirtualTime",
                    Target.ratio(1.5),
                    baseline("PriorityQueue (deadline, sequence)", "TimerBenchmark.priorityQueue"));
            group(
                    "4",
                    "Async.sleep(ZERO) round trip (median)",
                    "SwitchBenchmark.loopSleepZero",
                    jdk25 ? Target.figure(1_000, " (JDK 25)") : Target.figure(10_000, " (JDK 17)"),
                    baseline("platform threads park/unpark ping-pong", "SwitchBenchmark.platformPingPong"),
                    baseline("virtual threads park/unpark ping-pong", "SwitchBenchmark.virtualPingPong"),
                    pythonBaseline("sleep0"));
            group(
                    "5",
                    "newEventLoop + runUntilComplete(() -> 1) + close (median)",
                    "LifecycleBenchmark.loop",
                    Target.figure(15_000, " (JDK 25)").onJdk25Only(jdk25, "≤ 15 µs on JDK 25 only"),
                    baseline(
                            "newSingleThreadScheduledExecutor + submit + shutdown + await + join",
                            "LifecycleBenchmark.scheduledExecutor"),
                    baseline("platform thread start + join", "LifecycleBenchmark.platformThread"),
                    baseline("virtual thread start + join", "LifecycleBenchmark.virtualThread"),
                    pythonBaseline("lifecycle"),
                    baseline(
                            "Netty DefaultEventLoop + submit + shutdownGracefully(0, 0) + await (comparison)",
                            "LifecycleBenchmark.nettyDefaultEventLoop"),
                    baseline(
                            "the same with the default shutdownGracefully(), 2 s quiet period (single shot)",
                            "LifecycleBenchmark.nettyDefaultEventLoopQuietPeriod"));
            group(
                    "6",
                    "1,000 trivial tests through the JUnit launcher with @WithEventLoop, per test (mean)",
                    "ExtensionOverheadBenchmark.withEventLoop",
                    Target.difference(20_000, " per test (JDK 25)")
                            .onJdk25Only(jdk25, "≤ 20 µs more per test on JDK 25 only"),
                    baseline("the same tests without @WithEventLoop", "ExtensionOverheadBenchmark.plain"),
                    baseline(
                            "the same tests, each body in kotlinx-coroutines-test's runTest",
                            "ExtensionOverheadBenchmark.runTest"));
            group(
                    "7",
                    "1,000 callbacks submitted from inside the executor's thread, per callback (mean)",
                    "InLoopBenchmark.loop",
                    Target.COMPARISON,
                    baseline("Netty DefaultEventLoop.execute (comparison)", "InLoopBenchmark.nettyDefaultEventLoop"),
                    baseline("Netty NIO event loop.execute (comparison)", "InLoopBenchmark.nettyNioEventLoop"),
                    baseline("ScheduledThreadPoolExecutor(1).execute", "InLoopBenchmark.scheduledExecutor"),
                    baseline("row 1: the loop run from the calling thread", "CallSoonBenchmark.callSoonAndRun"),
                    baseline("ArrayDeque add/poll/run", "ArrayDequeBaseline.addPollRun"));
            group(
                    "8",
                    "coffee order, 3 s + 5 s with Async.gather, on a VirtualClock (single shot)",
                    "CoffeeOrderBenchmark.virtualClock",
                    Target.COMPARISON,
                    baseline("the same coroutine on the real clock", "CoffeeOrderBenchmark.realClock"));
            group(
                    "9",
                    "100 runs of @ExploreSchedules through the JUnit launcher, per run (mean)",
                    "ExploreBenchmark.explored",
                    Target.figure(10_000_000, " per run: 100 runs well under 1 s (JDK 25)")
                            .onJdk25Only(jdk25, "100 runs well under 1 s on JDK 25 only"),
                    baseline("the same test as @RepeatedTest(100)", "ExploreBenchmark.repeated"));
            manyTasks();
            group(
                    "11",
                    "Async.await of a CompletableFuture a loop timer completes, virtual time, per await (mean)",
                    "ForeignAwaitBenchmark.foreignStage",
                    Target.ratio(2),
                    baseline("the same with a loop future (createFuture)", "ForeignAwaitBenchmark.loopFuture"));
            group(
                    "12",
                    "LoopAwaitility.await().until(...) over an hour of loop time, default settings (mean)",
                    "LoopAwaitilityBenchmark.loopAwaitilityHour",
                    Target.figure(100_000_000, ""),
                    baseline("Async.sleep(1 h) for the same timer", "LoopAwaitilityBenchmark.asyncSleepHour"));
            info(
                    "ThreadsafeBenchmark.loopSameThreadFloor",
                    "row 2's callSoonThreadsafe with no second thread (post all, then run), per callback");
            info(
                    "ThreadsafeBenchmark.queueSameThreadFloor",
                    "ConcurrentLinkedQueue offer all, then poll and run, one thread, per callback");
            info("CallSoonBenchmark.emptyRun", "one runForever that only runs stop() (fixed cost in row 1, /1000)");
            info("LifecycleBenchmark.eventLoopsRun", "EventLoops.run(() -> 1), asyncio.run's shutdown included");
            info("ExtensionOverheadBenchmark.withEventLoopNoDebug", "row 6 with loopharness.debug=false, per test");
            info(
                    "ExtensionOverheadBenchmark.withEventLoopSeparateThread",
                    "row 6 with loopharness.body=coroutine_separate_thread, per test");
            againstRunTest("ExtensionOverheadBenchmark.withEventLoop", "debug on", true);
            againstRunTest("ExtensionOverheadBenchmark.withEventLoopNoDebug", "debug off", true);
            // the opt-in mode has no target: it buys a hard timeout with a hand-off per test
            againstRunTest("ExtensionOverheadBenchmark.withEventLoopSeparateThread", "body on a loop thread", false);
            for (Map.Entry<String, Result> entry : results.byName.entrySet()) {
                Double stalls = entry.getValue().secondary().get("stalls");
                if (stalls != null && stalls > 0) {
                    notes.add(entry.getKey() + ": **" + Units.number(stalls) + " stalls per iteration** (consumer"
                            + " parked with work queued, woken only by a second post after 1 s)");
                }
            }
        }

        /**
         * Row 10: its baseline is the same benchmark in the run on the other side of JDK 21. The target (JDK 17
         * within 3 times JDK 25) is judged in the table of the JDK without virtual threads.
         */
        private void manyTasks() {
            String name = "ManyTasksBenchmark.tenThousandSleepingTasks";
            boolean virtual = results.major >= VIRTUAL_THREADS;
            Result other = otherJdk == null ? null : otherJdk.get(name);
            String otherLabel = "the same on JDK " + (otherJdk == null ? (virtual ? "17" : "25") : otherJdk.jdk)
                    + (virtual ? " (platform-thread carriers)" : " (virtual threads)");
            Baseline baseline = other == null
                    ? new Baseline(otherLabel, Double.NaN, "not run")
                    : new Baseline(otherLabel, other.value(), other.describe());
            group(
                    "10",
                    "10,000 concurrent sleeping tasks in virtual time (single shot, mean)",
                    name,
                    virtual
                            ? new Target("the JDK 17 figure within 3× this one", Double.NaN, Target.On.RATIO)
                            : Target.ratio(3),
                    baseline);
        }

        /**
         * Issue #16's bar for row 6: the extension's extra cost per test (over {@code plain}) at most {@code
         * runTest}'s, both from this run; judged only where {@code judged}, else shown for comparison.
         */
        private void againstRunTest(String name, String what, boolean judged) {
            Result harness = results.get(name);
            Result plain = results.get("ExtensionOverheadBenchmark.plain");
            Result runTest = results.get("ExtensionOverheadBenchmark.runTest");
            if (harness == null || plain == null || runTest == null) {
                return;
            }
            double extension = harness.value() - plain.value();
            double baseline = runTest.value() - plain.value();
            String ratio = baseline > 0 ? Units.number(extension / baseline) + "×" : "— (runTest not above plain)";
            notes.add("row 6, " + what + ", against runTest"
                    + (judged ? " (issue #16: at most runTest's extra cost per test)" : " (no target)") + ":"
                    + " extension " + signed(extension) + " per test, runTest " + signed(baseline) + ", ratio " + ratio
                    + (judged ? ": " + (extension <= baseline ? "**met**" : "**not met**") : ""));
        }

        private static String signed(double nanos) {
            return (nanos >= 0 ? "+" : "−") + Units.time(Math.abs(nanos));
        }

        private void info(String name, String what) {
            Result r = results.get(name);
            if (r != null) {
                notes.add(name + " — " + what + ": " + r.describe());
            }
        }

        /** A baseline: its label, its figure in ns (NaN if absent) and how to show it. */
        record Baseline(String label, double value, String shown) {}

        private Baseline baseline(String label, String name) {
            Result r = results.get(name);
            return r == null
                    ? new Baseline(
                            label,
                            Double.NaN,
                            results.major < 21 && name.contains("irtual") ? "n/a (JDK 21+)" : "not run")
                    : new Baseline(label, r.value(), r.describe());
        }

        private Baseline pythonBaseline(String key) {
            String label = "asyncio" + (python == null ? "" : " (CPython " + Json.string(python.get("python")) + ")");
            if (python == null || python.get(key) == null) {
                return new Baseline(label, Double.NaN, "not run (no python3)");
            }
            double p50 = Json.number(Json.object(python.get(key)).get("p50_ns"));
            return new Baseline(label, p50, "p50 " + Units.time(p50));
        }

        private void group(String id, String measure, String name, Target target, Baseline... baselines) {
            Result r = results.get(name);
            double figure = r == null ? Double.NaN : r.value();
            String shown = r == null ? "not run" : r.describe();
            boolean first = true;
            double difference = figure - baselines[0].value();
            for (Baseline b : baselines) {
                double ratio = figure / b.value();
                String compared = Double.isNaN(ratio) ? "—" : Units.number(ratio) + "×";
                if (target.on() == Target.On.DIFFERENCE && !Double.isNaN(ratio)) {
                    compared +=
                            " (" + (figure >= b.value() ? "+" : "−") + Units.time(Math.abs(figure - b.value())) + ")";
                }
                rows.add(new String[] {
                    first ? id : "",
                    first ? measure : "″",
                    first ? shown : "″",
                    b.label(),
                    b.shown(),
                    compared,
                    first ? target.text() : "",
                    first ? target.verdict(figure, ratio, difference) : ""
                });
                first = false;
            }
        }
    }
}
