package dev.loopharness.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.junit.internal.LoopExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Awaitility and Mockito are optional: no class of the extension outside the two bridge packages refers to them,
 * so a user who never touches the bridges never needs either on the class path.
 */
class OptionalDependenciesTest {

    private static final List<String> OPTIONAL = List.of("org/awaitility/", "org/mockito/", "org/hamcrest/");

    @Test
    void onlyTheBridgePackagesReferToAwaitilityMockitoOrHamcrest() throws Exception {
        Path classes = Path.of(LoopExtension.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        List<Path> all = classFiles(classes);
        List<Path> outsideTheBridges =
                all.stream().filter(file -> !isBridge(classes.relativize(file))).toList();
        assertThat(outsideTheBridges).hasSizeGreaterThan(10);
        assertThat(outsideTheBridges)
                .allSatisfy(file -> assertThat(referencesOf(file))
                        .as("references to optional dependencies in %s", classes.relativize(file))
                        .isEmpty());
        assertThat(all.stream().filter(file -> isBridge(classes.relativize(file))))
                .as("the bridges themselves do refer to them")
                .anySatisfy(file -> assertThat(referencesOf(file)).isNotEmpty());
    }

    private static boolean isBridge(Path relative) {
        String path = relative.toString().replace('\\', '/');
        return path.startsWith("dev/loopharness/awaitility/") || path.startsWith("dev/loopharness/mockito/");
    }

    private static List<String> referencesOf(Path classFile) {
        try {
            // class names in the constant pool are stored as modified UTF-8; ASCII names read as they are
            String constants = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
            return OPTIONAL.stream().filter(constants::contains).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> classFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(file -> file.toString().endsWith(".class")).toList();
        }
    }
}
