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
        return "{\"benchmark\": \"dev.loopharness.benchmarks." + method + "\", \"mode\": \"" + mode + "\","
                + " \"jdkVersion\": \"17.0.15\", \"vmName\": \"OpenJDK 64-Bit Server VM\", \"vmVersion\": \"17.0.15\","
                + " \"primaryMetric\": {\"score\": " + score + ", \"scoreError\": \"NaN\", \"scoreUnit\": \"" + unit
                + "\"}, \"secondaryMetrics\": {}}";
    }

    private static List<String> table(String... entries) {
        Map<String, Object> noPython = null;
        Report.Table table =
                new Report.Table("run", Report.Results.load("[" + String.join(",", entries) + "]"), noPython);
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
    void anUnknownTimeUnitIsRefusedNamingIt() {
        assertThatThrownBy(() -> table(entry("InLoopBenchmark.loop", "avgt", 1, "fortnights/op")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown time unit in fortnights/op");
    }
}
