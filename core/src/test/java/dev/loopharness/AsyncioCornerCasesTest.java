package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** asyncio's corner cases of cancellation, from CPython's test_asyncio; each test names the case it follows. */
class AsyncioCornerCasesTest {

    @AutoClose
    private final ReportingLoop reporting = new ReportingLoop();

    private final EventLoop loop = reporting.loop();
    private final List<ExceptionContext> reports = reporting.reports();

    private static long millis(long loopNanos) {
        return Duration.ofNanos(loopNanos).toMillis();
    }

    @Test
    @DisplayName("test_tasks.test_cancel_at_end: a task that cancels itself and then returns ends cancelled")
    void aTaskThatCancelsItselfAndThenReturnsEndsCancelled() {
        List<Boolean> requests = new ArrayList<>();
        Task<?>[] self = new Task<?>[1];
        self[0] = loop.createTask(() -> {
            requests.add(self[0].cancel("changed my mind"));
            return 12;
        });

        assertThatThrownBy(() -> loop.runUntilComplete(self[0]))
                .isInstanceOf(CancellationException.class)
                .hasMessage("changed my mind");
        assertThat(requests).containsExactly(true);
        assertThat(self[0].isCancelled()).isTrue();
        assertThat(self[0].cancel()).isFalse();
    }

    @Test
    @DisplayName("test_tasks.test_tb_logger_not_called_after_cancel: cancelling a failed task retrieves its exception")
    void cancellingAFailedTaskMarksItsExceptionRetrieved() {
        Task<Object> failed = loop.createTask(() -> {
            throw new IllegalArgumentException("nobody reads this");
        });
        loop.runUntilComplete(() -> {
            Async.sleep(Duration.ofMillis(50));
            return failed.cancel();
        });

        loop.close();

        assertThat(failed.isCancelled()).isFalse();
        assertThat(reports).isEmpty();
    }

    @Test
    @DisplayName(
            "test_futures.test_tb_logger_not_called_after_cancel: cancelling a failed future retrieves its exception")
    void cancellingAFailedFutureMarksItsExceptionRetrieved() {
        LoopFuture<String> future = loop.createFuture();
        future.setException(new IllegalStateException("nobody reads this"));

        assertThat(future.cancel()).isFalse();
        loop.close();

        assertThat(reports).isEmpty();
    }

    @Test
    @DisplayName("test_waitfor.test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started")
    void waitForWithATimeoutOfZeroOrLessNeverStartsTheCoroutine() {
        for (Duration timeout : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
            List<String> started = new ArrayList<>();
            Throwable thrown = loop.runUntilComplete(() -> {
                try {
                    Async.waitFor(() -> started.add("started"), timeout);
                    return null;
                } catch (TimeoutException expected) {
                    return expected;
                }
            });

            assertThat(thrown)
                    .isInstanceOf(TimeoutException.class)
                    .hasMessageStartingWith("Async.waitFor(): Task-")
                    .hasMessageEndingWith(" did not complete within " + timeout + " of loop time; it was cancelled");
            assertThat(thrown.getCause()).isInstanceOf(CancellationException.class);
            assertThat(started).isEmpty();
        }
    }

    @Test
    @DisplayName("test_waitfor.test_wait_for_self_cancellation: cancelled after its timeout, waitFor ends at once")
    void aTaskCancelledWhileWaitForCancelsItsCoroutineEndsCancelledPromptly() {
        List<String> inner = new ArrayList<>();
        Task<Integer> waiting = loop.createTask(() -> Async.waitFor(
                () -> {
                    try {
                        Async.sleep(Duration.ofMillis(300));
                    } catch (CancellationException first) {
                        try {
                            Async.sleep(Duration.ofMillis(300));
                        } catch (CancellationException second) {
                            Async.sleep(Duration.ofMillis(300));
                        }
                    }
                    inner.add("42 at " + millis(Async.loop().time()));
                    return 42;
                },
                Duration.ofMillis(100)));
        long[] endedAt = {-1};
        waiting.addDoneCallback(done -> endedAt[0] = loop.time());
        loop.callLater(Duration.ofMillis(200), waiting::cancel);

        assertThatThrownBy(() -> loop.runUntilComplete(waiting)).isInstanceOf(CancellationException.class);
        assertThat(millis(endedAt[0])).isEqualTo(200);
        loop.runUntilComplete(() -> {
            Async.sleep(Duration.ofSeconds(1));
            return null;
        });
        assertThat(inner).containsExactly("42 at 400");
    }

    @Test
    @DisplayName("test_waitfor._test_cancel_wait_for (bpo-32751): cancelled waitFor lets its coroutine finish first")
    void aWaitForCancelledAtOnceLetsTheStartedCoroutineFinishAndEndsCancelled() {
        List<String> events = new ArrayList<>();
        Task<Integer> waiting = loop.createTask(() -> Async.waitFor(
                () -> {
                    try {
                        Async.sleep(Duration.ofSeconds(1));
                        return 1;
                    } catch (CancellationException e) {
                        Async.sleep(Duration.ofMillis(100));
                        events.add("inner finished at " + millis(Async.loop().time()));
                        return 7;
                    }
                },
                Duration.ofSeconds(10)));
        waiting.addDoneCallback(done -> events.add("waitFor ended at " + millis(loop.time())));
        loop.callSoon(() -> loop.callSoon(waiting::cancel));

        assertThatThrownBy(() -> loop.runUntilComplete(waiting)).isInstanceOf(CancellationException.class);
        assertThat(events).containsExactly("inner finished at 100", "waitFor ended at 100");
    }

    @Test
    @DisplayName("test_waitfor.test_cancel_wait_for: cancelling waitFor cancels its coroutine")
    void cancellingWaitForCancelsItsCoroutine() {
        List<Task<?>> innerTask = new ArrayList<>();
        Task<Object> waiting = loop.createTask(() -> Async.waitFor(
                () -> {
                    innerTask.add(Async.currentTask());
                    return Async.await(Async.loop().createFuture());
                },
                Duration.ofSeconds(60)));
        loop.callSoon(() -> loop.callSoon(waiting::cancel));

        assertThatThrownBy(() -> loop.runUntilComplete(waiting)).isInstanceOf(CancellationException.class);
        assertThat(innerTask).hasSize(1).allMatch(Task::isCancelled);
    }

    @Test
    @DisplayName("test_taskgroups.test_taskgroup_07: cancelling the owner while the block runs cancels the tasks")
    void cancellingTheOwnerWhileTheGroupsBlockRunsCancelsTheGroupsTasks() {
        List<String> events = new ArrayList<>();
        Task<Object> owner = loop.createTask(() -> {
            try (TaskGroup group = Async.taskGroup()) {
                for (int i = 0; i < 5; i++) {
                    group.createTask(() -> {
                        try {
                            Async.sleep(Duration.ofSeconds(5));
                            return events.add("child slept");
                        } catch (CancellationException e) {
                            events.add("child cancelled");
                            throw e;
                        }
                    });
                }
                try {
                    Async.sleep(Duration.ofSeconds(10));
                } catch (CancellationException e) {
                    events.add("block cancelled");
                    throw e;
                }
            }
            return null;
        });
        loop.callLater(Duration.ofMillis(100), owner::cancel);

        assertThatThrownBy(() -> loop.runUntilComplete(owner)).isInstanceOf(CancellationException.class);
        assertThat(events)
                .containsExactly(
                        "block cancelled",
                        "child cancelled",
                        "child cancelled",
                        "child cancelled",
                        "child cancelled",
                        "child cancelled");
        assertThat(millis(loop.time())).isEqualTo(100);
    }
}
