package dev.loopharness.samples.reproductions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.EventLoopClosedException;
import dev.loopharness.samples.report.Failure;
import dev.loopharness.samples.report.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

public class ClosedDefaultLoopTest {

    /**
     * Where the sample closes the default loop, as the message prints it, found in the sample's source.
     *
     * @return for example {@code dev.loopharness.samples.reproductions.ClosedDefaultLoop.fetchPrices(ClosedDefaultLoop.java:35)}
     */
    public static String closeSite() throws IOException {
        List<String> lines = Files.readAllLines(
                Path.of("src/main/java/dev/loopharness/samples/reproductions/ClosedDefaultLoop.java"));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("loop.close(); // closes the thread's default loop")) {
                return ClosedDefaultLoop.class.getName() + ".fetchPrices(ClosedDefaultLoop.java:" + (i + 1) + ")";
            }
        }
        throw new AssertionError("close() not found in ClosedDefaultLoop.java");
    }

    @Test
    void theSecondUserOfTheDefaultLoopIsToldWhereTheFirstClosedIt() throws IOException {
        Outcome outcome = new ClosedDefaultLoop().run();

        assertThat(outcome.behavedAsDocumented()).isTrue();
        Failure failure = outcome.failure();
        assertThat(failure.exception()).isInstanceOf(EventLoopClosedException.class);
        assertThat(failure.type()).isEqualTo(EventLoopClosedException.class.getName());
        assertThat(failure.message())
                .startsWith("Event loop is closed: EventLoop-")
                .contains(" was closed at " + closeSite() + " by thread \"" + ClosedDefaultLoop.THREAD + "\".")
                .contains("create a fresh loop per unit of work");
        assertThat(failure.frames()).hasSize(3);
    }

    @Test
    void aFreshLoopPerUnitOfWorkRunsAsOftenAsYouLike() {
        assertThat(ClosedDefaultLoop.fetchPricesFixed()).isEqualTo("prices: 42 items");
        assertThat(ClosedDefaultLoop.fetchPricesFixed()).isEqualTo("prices: 42 items");
        assertThat(ClosedDefaultLoop.fetchNewsFixed()).isEqualTo("news: 42 items");
        assertThat(ClosedDefaultLoop.fetchNewsFixed()).isEqualTo("news: 42 items");
    }
}
