package dev.loopharness.samples;

import static org.assertj.core.api.Assertions.assertThat;

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
                .allSatisfy(line -> assertThat(line.length())
                        .as(line)
                        .isLessThanOrEqualTo(Math.max(Report.WIDTH, longestWord(line))));
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

    private static int longestWord(String line) {
        int indent = line.length() - line.stripLeading().length();
        int longest = 0;
        for (String word : line.trim().split(" ")) {
            longest = Math.max(longest, word.length());
        }
        return indent + 2 + longest;
    }
}
