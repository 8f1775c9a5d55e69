package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A handle kept by a caller holds only itself: not its callback once it ran, and not the callbacks scheduled
 * after it. Each case runs in a JVM of its own with a 48 MB heap and schedules 400 callbacks that each hold a
 * megabyte: if kept handles held on to their callbacks, or one kept handle to every later one, the heap would
 * run out.
 */
class HandleRetentionTest {

    private static final int CALLBACKS = 400;
    private static final int MEGABYTE = 1 << 20;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"every-callSoon-handle-kept", "every-timer-handle-kept", "first-threadsafe-handle-kept"})
    void keptHandlesDoNotKeepWhatTheyRan(String scenario) throws IOException, InterruptedException {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process process = new ProcessBuilder(
                        java,
                        "-Xmx48m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Scenario.class.getName(),
                        scenario)
                .redirectErrorStream(true)
                .start();
        boolean ended = process.waitFor(5, TimeUnit.MINUTES);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ended) {
            process.destroyForcibly();
        }
        assertThat(ended).as("the scenario ended").isTrue();
        assertThat(output).as("output of %s", scenario).contains("ran " + CALLBACKS + " callbacks");
        assertThat(process.exitValue()).as("exit code; output: %s", output).isZero();
    }

    /** The scenarios, run in a JVM of their own. */
    static final class Scenario {
        private Scenario() {}

        public static void main(String[] args) {
            EventLoop loop = EventLoops.newEventLoop();
            List<Handle> kept = new ArrayList<>();
            int[] ran = {0};
            for (int i = 0; i < CALLBACKS; i++) {
                byte[] payload = new byte[MEGABYTE];
                Runnable callback = () -> ran[0] += payload.length > 0 ? 1 : 0;
                switch (args[0]) {
                    case "every-callSoon-handle-kept":
                        kept.add(loop.callSoon(callback));
                        break;
                    case "every-timer-handle-kept":
                        kept.add(loop.callLater(Duration.ZERO, callback));
                        break;
                    default:
                        Handle handle = loop.callSoonThreadsafe(callback);
                        if (kept.isEmpty()) {
                            kept.add(handle);
                        }
                        break;
                }
                loop.runUntilComplete(() -> {
                    Async.sleep(Duration.ZERO);
                    return null;
                });
            }
            loop.close();
            System.out.println("ran " + ran[0] + " callbacks, " + kept.size() + " handles kept");
        }
    }
}
