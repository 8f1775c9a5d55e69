package dev.loopharness.samples.reproductions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.ExceptionContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockingTheLoopTest {

    @Test
    void threadSleepInACoroutineIsReportedWithTheTaskAndTheFrame() {
        List<ExceptionContext> reports = new ArrayList<>();
        String result = BlockingTheLoop.runInDebugMode(BlockingTheLoop::renderBlocking, reports);

        assertThat(result).isEqualTo("rendered");
        assertThat(reports).hasSize(1);
        ExceptionContext report = reports.get(0);
        assertThat(report.exception()).isNull();
        assertThat(report.message())
                .startsWith("Executing <Task 'render-report'")
                .matches("(?s).* took \\d+\\.\\d+ seconds; it was blocking at .*")
                .contains("; it was blocking at " + BlockingTheLoop.class.getName()
                        + ".renderBlocking(BlockingTheLoop.java:")
                .contains("use Async.sleep() instead of Thread.sleep()");
        String took = report.message().replaceAll("(?s).* took (\\d+\\.\\d+) seconds.*", "$1");
        assertThat(Double.parseDouble(took)).isGreaterThanOrEqualTo(0.2); // Thread.sleep(200 ms) at least
        assertThat(report.task())
                .hasValueSatisfying(task -> assertThat(task.getName()).isEqualTo("render-report"));
    }

    @Test
    void asyncSleepDoesNotBlockTheLoop() {
        List<ExceptionContext> reports = new ArrayList<>();

        assertThat(BlockingTheLoop.runInDebugMode(BlockingTheLoop::renderFixed, reports))
                .isEqualTo("rendered");
        assertThat(reports).isEmpty();
    }
}
