package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SlowTaskStepTest {

    @Test
    void debugModeReportsATaskThatBlocksTheLoopNamingTheTaskAndWhereItBlocked() {
        List<ExceptionContext> reports = new CopyOnWriteArrayList<>();
        try (EventLoop loop = EventLoops.newEventLoop()) {
            loop.setDebug(true);
            loop.setSlowCallbackDuration(Duration.ofMillis(20));
            loop.setExceptionHandler((ignored, context) -> reports.add(context));
            Task<Object> task = loop.createTask(SlowTaskStepTest::blockTheLoop);
            task.setName("blocker");
            loop.runUntilComplete(task);
        }
        // on a loaded machine other callbacks may pass 20 ms too; the task's own report must be there, once
        List<ExceptionContext> aboutTheTask =
                reports.stream().filter(r -> r.task().isPresent()).collect(java.util.stream.Collectors.toList());
        assertThat(aboutTheTask).hasSize(1);
        ExceptionContext report = aboutTheTask.get(0);
        assertThat(report.exception()).isNull();
        assertThat(report.task()).isPresent();
        assertThat(report.message())
                .startsWith("Executing <Task 'blocker'")
                .contains(" seconds; it was blocking at " + SlowTaskStepTest.class.getName() + ".blockTheLoop(")
                .contains(
                        " (in java.lang.") // Thread.sleep on platform threads, VirtualThread.parkNanos on virtual ones
                .endsWith("use Async.sleep() instead of Thread.sleep(), or move blocking work to"
                        + " loop.runInExecutor(null, ...)");
    }

    private static Object blockTheLoop() throws InterruptedException {
        Thread.sleep(200);
        return null;
    }

    @Test
    void aTaskThatSuspendsInsteadIsNotReported() {
        List<ExceptionContext> reports = new CopyOnWriteArrayList<>();
        try (EventLoop loop = EventLoops.newEventLoop(new VirtualClock())) {
            loop.setDebug(true);
            // far above any scheduling delay of a loaded machine, far below the ten seconds it sleeps
            loop.setSlowCallbackDuration(Duration.ofSeconds(5));
            loop.setExceptionHandler((ignored, context) -> reports.add(context));
            loop.runUntilComplete(() -> {
                Async.sleep(Duration.ofSeconds(10));
                return null;
            });
        }
        assertThat(reports).isEmpty();
    }
}
