package dev.loopharness.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.EventLoop;
import dev.loopharness.awaitility.LoopAwaitility;
import dev.loopharness.junit.WithEventLoop;
import dev.loopharness.mockito.LoopMockito;
import dev.loopharness.spi.OwnedLoop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The published API, compared with the signature file checked in beside the tests: a change to a public type or
 * member fails the build until the file is updated in the same commit, so every API change is deliberate (and
 * gets its changelog line). The file covers {@code dev.loopharness}, the SPI ({@code dev.loopharness.spi}),
 * {@code dev.loopharness.junit} and the two bridges; the implementation packages are left out.
 */
class PublicApiTest {

    static final Path RECORDED = Path.of("src", "test", "resources", "api", "public-api.txt");
    static final Path ACTUAL = Path.of("target", "public-api.txt");

    @Test
    void publicApiIsTheRecordedOne() throws IOException {
        List<String> actual = new ArrayList<>();
        actual.addAll(ApiSignature.ofPackage("dev.loopharness", EventLoop.class));
        actual.addAll(ApiSignature.ofPackage("dev.loopharness.spi", OwnedLoop.class));
        actual.addAll(ApiSignature.ofPackage("dev.loopharness.junit", WithEventLoop.class));
        actual.addAll(ApiSignature.ofPackage("dev.loopharness.awaitility", LoopAwaitility.class));
        actual.addAll(ApiSignature.ofPackage("dev.loopharness.mockito", LoopMockito.class));
        Files.createDirectories(ACTUAL.getParent());
        Files.write(ACTUAL, actual, StandardCharsets.UTF_8);

        List<String> recorded =
                Files.exists(RECORDED) ? Files.readAllLines(RECORDED, StandardCharsets.UTF_8) : List.of();
        assertThat(actual)
                .withFailMessage(() -> "The public API differs from junit-extension/" + RECORDED + ".\n"
                        + "Added:\n" + lines(actual, recorded) + "Removed:\n" + lines(recorded, actual)
                        + "If the change is deliberate, record it with\n"
                        + "  cp junit-extension/" + ACTUAL + " junit-extension/" + RECORDED + "\n"
                        + "and say what changed in README's changelog.")
                .isEqualTo(recorded);
    }

    /** The lines of {@code from} that {@code other} does not have, one per line with a leading "  ". */
    private static String lines(List<String> from, List<String> other) {
        Set<String> missing = new LinkedHashSet<>(from);
        missing.removeAll(Set.copyOf(other));
        StringBuilder text = new StringBuilder();
        missing.forEach(line -> text.append("  ").append(line.trim()).append('\n'));
        return text.toString();
    }
}
