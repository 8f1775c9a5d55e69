package dev.loopharness.samples.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.samples.reproductions.ClosedDefaultLoop;
import dev.loopharness.samples.reproductions.ClosedDefaultLoopTest;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {

    @Test
    void theReportOfTheClosedDefaultLoopShowsTheMessageAndWhereTheLoopWasClosed() throws IOException {
        String text = Report.render(new ClosedDefaultLoop().run());

        assertThat(text)
                .contains("1. The closed default loop")
                .contains("dev.loopharness.EventLoopClosedException: Event loop is closed")
                .contains(ClosedDefaultLoopTest.closeSite())
                .contains("Behaved as documented: yes");
        assertThat(text.lines())
                .allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(Report.WIDTH));
    }

    @Test
    void longLinesAreWrappedAtSpacesTo100Columns() {
        StringBuilder out = new StringBuilder();
        Report.wrap(out, "  ", "word ".repeat(50).trim());

        List<String> lines = out.toString().lines().toList();
        assertThat(lines)
                .hasSizeGreaterThan(2)
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(Report.WIDTH));
        assertThat(String.join(" ", lines).replaceAll("\\s+", " ").trim())
                .isEqualTo("word ".repeat(50).trim());
    }

    @Test
    void aWordLongerThanALineIsBrokenAfterADotADollarOrAParenthesis() {
        // a frame as it looked before the samples moved into packages: its length decides where the line breaks
        String frame = "dev.loopharness.samples.LeakedTaskOnASharedLoop$PriceCache.lambda$startRefresher$0"
                + "(LeakedTaskOnASharedLoop.java:43)";
        StringBuilder out = new StringBuilder();
        Report.wrap(out, "          ", "at " + frame);

        List<String> lines = out.toString().lines().toList();
        assertThat(lines)
                .hasSize(3)
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(Report.WIDTH));
        assertThat(lines.get(0).trim()).isEqualTo("at");
        assertThat(lines.get(1)).endsWith("$0(");
        assertThat(lines.get(2).trim()).isEqualTo("LeakedTaskOnASharedLoop.java:43)");
    }

    @Test
    void whatTheLibraryLogsWhileAReproductionRunsIsShownAfterItWrapped() {
        List<String> logs = new java.util.ArrayList<>();
        String result = Report.capturingLogs(logs, () -> {
            System.getLogger("dev.loopharness.junit")
                    .log(System.Logger.Level.WARNING, "x ".repeat(80).trim());
            return "done";
        });
        assertThat(result).isEqualTo("done");
        assertThat(logs).containsExactly("WARNING: " + "x ".repeat(80).trim());

        List<String> lines = Report.renderLogs(logs).lines().toList();
        assertThat(lines.get(0)).isEqualTo("Logged meanwhile by the library:");
        assertThat(lines.get(1)).startsWith("  WARNING: x x x");
        assertThat(lines)
                .hasSizeGreaterThan(2)
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(Report.WIDTH));
        assertThat(Report.renderLogs(List.of())).isEmpty();
    }
}
