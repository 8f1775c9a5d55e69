package dev.loopharness.samples.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's project that is a named module: it requires {@code dev.loopharness.core} and {@code
 * dev.loopharness.junit}, and runs on the module path, where the extension reaches the core's implementation
 * through the core's qualified export.
 */
class ModularProjectTest {

    private static final String MODULE_INFO =
            "module shop { requires dev.loopharness.core; requires dev.loopharness.junit; }\n";

    private static final String MAIN = String.join(
            "\n",
            "package shop;",
            "import dev.loopharness.Async;",
            "import dev.loopharness.EventLoops;",
            "import dev.loopharness.awaitility.LoopAwaitility;",
            "import java.time.Duration;",
            "import java.util.concurrent.atomic.AtomicBoolean;",
            "public class Main {",
            "    public static void main(String[] args) {",
            "        System.out.println(EventLoops.run(() -> {",
            "            AtomicBoolean ready = new AtomicBoolean();",
            "            Async.loop().callLater(Duration.ofMillis(20), () -> ready.set(true));",
            "            LoopAwaitility.await().atMost(Duration.ofSeconds(30)).untilTrue(ready);",
            "            return \"ready on \" + Main.class.getModule().getName();",
            "        }));",
            "    }",
            "}",
            "");

    @Test
    void aNamedModuleUsesTheLoopAndTheExtensionsBridgesOnTheModulePath(@TempDir Path dir) throws Exception {
        List<String> modulePath = modulePath();
        Path sources = dir.resolve("src/shop");
        Files.createDirectories(sources.resolve("shop"));
        Files.writeString(sources.resolve("module-info.java"), MODULE_INFO);
        Files.writeString(sources.resolve("shop/Main.java"), MAIN);
        Path classes = dir.resolve("classes");
        String path = String.join(File.pathSeparator, modulePath);
        compile(path, classes, sources.resolve("module-info.java"), sources.resolve("shop/Main.java"));

        Process process = new ProcessBuilder(
                        javaCommand(),
                        "--module-path",
                        classes + File.pathSeparator + path,
                        "--add-modules",
                        "ALL-MODULE-PATH",
                        "-m",
                        "shop/shop.Main")
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).isEqualTo("ready on shop" + System.lineSeparator());
    }

    /** The library's jars and the API jars they need, from this test's class path. */
    private static List<String> modulePath() {
        List<String> entries =
                Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        List<String> chosen = new ArrayList<>();
        for (String artifact : List.of(
                "loopharness-core",
                "loopharness-junit",
                "junit-jupiter-api",
                "junit-platform-commons",
                "opentest4j",
                "apiguardian-api",
                "awaitility",
                "hamcrest")) {
            String entry = entries.stream()
                    .filter(e -> new File(e).getName().startsWith(artifact) && e.endsWith(".jar"))
                    .findFirst()
                    .orElse(null);
            assumeTrue(entry != null, () -> artifact + " is not a jar on the class path (run ./mvnw verify)");
            chosen.add(entry);
        }
        return chosen;
    }

    private static void compile(String modulePath, Path out, Path... files) throws IOException {
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
        StringWriter messages = new StringWriter();
        List<String> args = new ArrayList<>(List.of("--module-path", modulePath, "-d", out.toString()));
        args.addAll(Arrays.stream(files).map(Path::toString).collect(Collectors.toList()));
        int status = javac.run(
                new java.io.PrintWriter(messages), new java.io.PrintWriter(messages), args.toArray(String[]::new));
        assertThat(status).as(messages.toString()).isZero();
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
