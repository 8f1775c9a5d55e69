package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RunnerTest {

    @Test
    void runClosesItsLoopAfterwards() {
        EventLoop[] seen = new EventLoop[1];
        EventLoops.run(() -> seen[0] = Async.loop());
        assertThat(seen[0].isClosed()).isTrue();
        assertThat(seen[0].isRunning()).isFalse();
    }

    @Test
    void runCancelsLeftoverTasksAndLetsThemCleanUpBeforeClosing() {
        List<String> events = new ArrayList<>();
        EventLoops.run(new VirtualClock(), () -> {
            Async.createTask(() -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                    return null;
                } catch (CancellationException e) {
                    events.add("leftover cancelled");
                    Async.sleep(Duration.ofSeconds(1));
                    events.add("leftover cleaned up with the loop still running");
                    throw e;
                }
            });
            Async.sleep(Duration.ZERO);
            return null;
        });
        assertThat(events).containsExactly("leftover cancelled", "leftover cleaned up with the loop still running");
    }

    @Test
    void runReportsFailuresOfLeftoverTasksDuringShutdown() {
        List<ExceptionContext> reports = new CopyOnWriteArrayList<>();
        IllegalStateException failure = new IllegalStateException("cleanup failed");
        EventLoops.run(() -> {
            Async.loop().setExceptionHandler((loop, context) -> reports.add(context));
            Async.createTask(() -> {
                try {
                    Async.sleep(Duration.ofHours(1));
                    return null;
                } catch (CancellationException e) {
                    throw failure;
                }
            });
            Async.sleep(Duration.ZERO);
            return null;
        });
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).message()).isEqualTo("Unhandled exception during EventLoops.run() shutdown");
        assertThat(reports.get(0).exception()).isSameAs(failure);
        assertThat(reports.get(0).task()).isPresent();
    }

    @Test
    void aTaskExceptionNobodyRetrievedIsReportedWhenTheLoopCloses() {
        List<ExceptionContext> reports = new CopyOnWriteArrayList<>();
        IllegalArgumentException failure = new IllegalArgumentException("nobody looked");
        EventLoops.run(() -> {
            Async.loop().setExceptionHandler((loop, context) -> reports.add(context));
            Async.createTask(() -> {
                throw failure;
            });
            Async.sleep(Duration.ZERO);
            Async.sleep(Duration.ZERO);
            return null;
        });
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).message()).isEqualTo("Task exception was never retrieved");
        assertThat(reports.get(0).exception()).isSameAs(failure);
    }

    @Test
    void aRetrievedTaskExceptionIsNotReported() {
        List<ExceptionContext> reports = new CopyOnWriteArrayList<>();
        EventLoops.run(() -> {
            Async.loop().setExceptionHandler((loop, context) -> reports.add(context));
            Task<Object> task = Async.createTask(() -> {
                throw new IllegalArgumentException("seen");
            });
            try {
                Async.await(task);
            } catch (IllegalArgumentException expected) {
                // retrieved
            }
            return null;
        });
        assertThat(reports).isEmpty();
    }

    @Test
    void runShutsTheDefaultExecutorDownAndWaitsForIt() throws InterruptedException {
        Thread[] worker = new Thread[1];
        String result = EventLoops.run(() -> Async.await(Async.loop().runInExecutor(null, () -> {
            worker[0] = Thread.currentThread();
            return "blocking work done";
        })));
        assertThat(result).isEqualTo("blocking work done");
        worker[0].join(10_000);
        assertThat(worker[0].isAlive()).isFalse();
    }

    @Test
    void runPropagatesTheCoroutinesExceptionAsTheSameInstance() {
        UnsupportedOperationException failure = new UnsupportedOperationException("no");
        assertThatThrownBy(() -> EventLoops.run(() -> {
                    throw failure;
                }))
                .isSameAs(failure);
    }
}
