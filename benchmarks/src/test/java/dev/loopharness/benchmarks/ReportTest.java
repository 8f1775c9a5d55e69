package dev.loopharness.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReportTest {

    /** One JMH result entry, as JMH writes it with {@code -rf json}, reduced to what the report reads. */
    private static String entry(String method, String mode, double score, String unit) {
        return entry("17.0.15", method, mode, score, unit);
    }

    private static String entry(String jdk, String method, String mode, double score, String unit) {
        return "{\"benchmark\": \"dev.loopharness.benchmarks." + method + "\", \"mode\": \"" + mode + "\","
                + " \"jdkVersion\": \"" + jdk + "\", \"vmName\": \"OpenJDK 64-Bit Server VM\", \"vmVersion\": \""
                + jdk + "\", \"primaryMetric\": {\"score\": " + score + ", \"scoreError\": \"NaN\", \"scoreUnit\": \""
                + unit + "\"}, \"secondaryMetrics\": {}}";
    }

    private static Report.Results run(String... entries) {
        return Report.Results.load("[" + String.join(",", entries) + "]");
    }

    private static List<String> table(String... entries) {
        return table(run(entries), null);
    }

    private static List<String> table(Report.Results results, Report.Results otherJdk) {
        Map<String, Object> noPython = null;
        Report.Table table = new Report.Table("run", results, otherJdk, noPython);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        table.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return Arrays.stream(bytes.toString(StandardCharsets.UTF_8).split("\n")).collect(Collectors.toList());
    }

    private static String row(List<String> lines, String start) {
        return lines.stream()
                .filter(line -> line.startsWith(start))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with " + start + " in " + lines));
    }

    @Test
    void aRunWithoutMostRowsStillPrintsEveryRowAndMarksTheMissingOnes() {
        List<String> lines = table(
                entry("InLoopBenchmark.loop", "avgt", 50, "ns/op"),
                entry("InLoopBenchmark.nettyNioEventLoop", "avgt", 25, "ns/op"));

        assertThat(row(lines, "| 1 |"))
                .isEqualTo(
                        "| 1 | callSoon + run inside the loop, per callback (mean) | not run | ArrayDeque add/poll/run"
                                + " | not run | — | ratio ≤ 4.00× | not measured |");
        assertThat(row(lines, "| 7 |"))
                .contains("| 50.0 ns |", "| Netty DefaultEventLoop.execute (comparison) | not run | — |");
        assertThat(lines).contains("|  | ″ | ″ | Netty NIO event loop.execute (comparison) | 25.0 ns | 2.00× |  |  |");
        assertThat(lines)
                .anyMatch(line -> line.startsWith("|  | ″ | ″ | virtual thread start + join | n/a (JDK 21+) |"));
    }

    @Test
    void singleShotRunsOfSecondsAreShownInSecondsAndTinyRatiosWithTwoDigits() {
        List<String> lines = table(
                entry("CoffeeOrderBenchmark.virtualClock", "ss", 2.5, "ms/op"),
                entry("CoffeeOrderBenchmark.realClock", "ss", 5004, "ms/op"));

        assertThat(row(lines, "| 8 |"))
                .contains(
                        "| 2.50 ms |",
                        "| the same coroutine on the real clock | 5.00 s | 0.00050× |",
                        "| none (a comparison) |");
    }

    @Test
    void rowTenOnJdk17IsJudgedAgainstTheSameBenchmarkInTheJdk25Run() {
        String manyTasks = "ManyTasksBenchmark.tenThousandSleepingTasks";
        Report.Results jdk17 = run(entry("17.0.15", manyTasks, "ss", 1_500, "ms/op"));
        Report.Results jdk25 = run(entry("25.0.3", manyTasks, "ss", 600, "ms/op"));

        assertThat(Report.otherJdk(jdk17, List.of(jdk17, jdk25))).isSameAs(jdk25);
        assertThat(Report.otherJdk(jdk25, List.of(jdk17, jdk25))).isSameAs(jdk17);
        assertThat(row(table(jdk17, jdk25), "| 10 |"))
                .isEqualTo("| 10 | 10,000 concurrent sleeping tasks in virtual time (single shot, mean) | 1.50 s"
                        + " | the same on JDK 25.0.3 (virtual threads) | 600 ms | 2.50× | ratio ≤ 3.00× | **met** |");
        assertThat(row(table(jdk25, jdk17), "| 10 |"))
                .isEqualTo("| 10 | 10,000 concurrent sleeping tasks in virtual time (single shot, mean) | 600 ms"
                        + " | the same on JDK 17.0.15 (platform-thread carriers) | 1.50 s | 0.40× |"
                        + " the JDK 17 figure within 3× this one |  |");
    }

    @Test
    void rowTenWithoutARunOnTheOtherJdkIsNotMeasured() {
        Report.Results jdk17 = run(entry("17.0.15", "ManyTasksBenchmark.tenThousandSleepingTasks", "ss", 1, "s/op"));

        assertThat(Report.otherJdk(jdk17, List.of(jdk17))).isNull();
        assertThat(row(table(jdk17, null), "| 10 |"))
                .endsWith(
                        "| 1.00 s | the same on JDK 25 (virtual threads) | not run | — | ratio ≤ 3.00× | not measured |");
    }

    @Test
    void rowNineIsShownWithItsPlainBaseline() {
        List<String> lines = table(
                entry("25.0.3", "ExploreBenchmark.explored", "avgt", 3_570, "us/op"),
                entry("25.0.3", "ExploreBenchmark.repeated", "avgt", 1_760, "us/op"));

        assertThat(row(lines, "| 9 |"))
                .endsWith("| 3.57 ms | the same test as @RepeatedTest(100) | 1.76 ms | 2.03× |"
                        + " ≤ 10.0 ms per run: 100 runs well under 1 s (JDK 25) | **met** |");
    }

    @Test
    void rowSixComparesTheExtensionsExtraCostPerTestWithRunTests() {
        List<String> lines = table(
                entry("ExtensionOverheadBenchmark.plain", "avgt", 50, "us/op"),
                entry("ExtensionOverheadBenchmark.runTest", "avgt", 70, "us/op"),
                entry("ExtensionOverheadBenchmark.withEventLoop", "avgt", 113, "us/op"),
                entry("ExtensionOverheadBenchmark.withEventLoopNoDebug", "avgt", 65, "us/op"));

        assertThat(lines)
                .contains(
                        "|  | ″ | ″ | the same tests, each body in kotlinx-coroutines-test's runTest | 70.0 µs"
                                + " | 1.61× (+43.0 µs) |  |  |",
                        "- row 6, debug on, against runTest (issue #16: at most runTest's extra cost per test):"
                                + " extension +63.0 µs per test, runTest +20.0 µs, ratio 3.15×: **not met**",
                        "- row 6, debug off, against runTest (issue #16: at most runTest's extra cost per test):"
                                + " extension +15.0 µs per test, runTest +20.0 µs, ratio 0.75×: **met**");
    }

    @Test
    void anUnknownTimeUnitIsRefusedNamingIt() {
        assertThatThrownBy(() -> table(entry("InLoopBenchmark.loop", "avgt", 1, "fortnights/op")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown time unit in fortnights/op");
    }
}
