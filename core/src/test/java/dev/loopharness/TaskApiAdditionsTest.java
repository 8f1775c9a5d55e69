package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Task names at creation, awaiting with a declared exception, and runCoroutineThreadsafe. */
class TaskApiAdditionsTest {

    @Test
    @DisplayName("test_tasks.test_create_task_with_name: a task named at creation, on the loop and in Async")
    void aTaskCanBeNamedAtCreation() {
        try (EventLoop loop = EventLoops.newEventLoop(new VirtualClock())) {
            Task<String> named =
                    loop.createTask("fetch-prices", () -> Thread.currentThread().getName());
            assertThat(named.getName()).isEqualTo("fetch-prices");
            assertThat(loop.runUntilComplete(named)).isEqualTo("fetch-prices");

            String inner = loop.runUntilComplete(
                    () -> Async.createTask("inner", () -> 1).getName());
            assertThat(inner).isEqualTo("inner");

            assertThatThrownBy(() -> loop.createTask(null, () -> 1))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("name must not be null");
            assertThatThrownBy(() -> loop.runUntilComplete(() -> Async.createTask(null, () -> 1)))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("name must not be null");
        }
    }

    @Test
    @DisplayName("test_tasks uncancel: each call takes back one cancel request, and never goes below zero")
    void uncancelTakesBackOneRequestAndStopsAtZero() {
        try (EventLoop loop = EventLoops.newEventLoop(new VirtualClock())) {
            Task<Object> task = loop.createTask(() -> Async.await(Async.loop().createFuture()));

            assertThat(task.uncancel()).as("never cancelled").isZero();
            assertThat(task.cancelling()).isZero();

            task.cancel();
            task.cancel();
            assertThat(task.cancelling()).isEqualTo(2);
            assertThat(task.uncancel()).isEqualTo(1);
            assertThat(task.uncancel()).isZero();
            assertThat(task.uncancel()).as("once more than it was cancelled").isZero();
            assertThat(task.cancelling()).isZero();
        }
    }

    @Test
    @DisplayName("Async.await(future, IOException.class) lets a caller catch the checked exception it expects")
    void awaitWithADeclaredExceptionLetsTheCallerCatchIt() {
        IOException failure = new IOException("connection reset");
        Object caught = EventLoops.run(new VirtualClock(), () -> {
            Task<String> download = Async.createTask(() -> {
                throw failure;
            });
            try {
                return Async.await(download, IOException.class);
            } catch (IOException e) {
                return e;
            }
        });
        assertThat(caught).isSameAs(failure);

        UncheckedIOException other = new UncheckedIOException(failure);
        assertThatThrownBy(() -> EventLoops.run(() -> {
                    Task<String> task = Async.createTask(() -> {
                        throw other;
                    });
                    return Async.await(task, IOException.class);
                }))
                .isSameAs(other);
        assertThatThrownBy(() -> EventLoops.run(() -> Async.await(Async.loop().createFuture(), null)))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("declared must not be null");
    }

    @Test
    @DisplayName("test_tasks.test_run_coroutine_threadsafe and _with_exception: the outcome reaches the other thread")
    void runCoroutineThreadsafeCompletesWithTheTasksOutcome() throws Exception {
        try (EventLoop loop = EventLoops.newEventLoop()) {
            LoopOnThread.whileRunning(loop, () -> resultsReachTheOtherThread(loop));
        }
    }

    private static void resultsReachTheOtherThread(EventLoop loop) throws Exception {
        {
            CompletableFuture<String> result = loop.runCoroutineThreadsafe(() -> {
                Async.sleep(Duration.ofMillis(1));
                return "from the loop";
            });
            assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("from the loop");

            IOException failure = new IOException("failed on the loop");
            CompletableFuture<String> failed = loop.runCoroutineThreadsafe(() -> {
                throw failure;
            });
            assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCause(failure);
        }
    }

    @Test
    @DisplayName("test_tasks.test_run_coroutine_threadsafe_task_cancelled: cancelling the future cancels the task")
    void cancellingTheFutureOfRunCoroutineThreadsafeCancelsTheTask() throws Exception {
        try (EventLoop loop = EventLoops.newEventLoop()) {
            LoopOnThread.whileRunning(loop, () -> cancellingTheFutureCancelsTheTask(loop));
        }
    }

    private static void cancellingTheFutureCancelsTheTask(EventLoop loop) throws Exception {
        {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch cancelled = new CountDownLatch(1);
            List<String> events = new ArrayList<>();
            CompletableFuture<Object> result = loop.runCoroutineThreadsafe(() -> {
                started.countDown();
                try {
                    return Async.await(Async.loop().createFuture());
                } catch (CancellationException e) {
                    events.add("task cancelled");
                    cancelled.countDown();
                    throw e;
                }
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

            assertThat(result.cancel(true)).isTrue();

            assertThat(cancelled.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(events).containsExactly("task cancelled");
        }
    }

    @Test
    @DisplayName("runCoroutineThreadsafe refuses a null coroutine and a closed loop")
    void runCoroutineThreadsafeRefusesBadInput() {
        EventLoop loop = EventLoops.newEventLoop();
        assertThatThrownBy(() -> loop.runCoroutineThreadsafe(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("coroutine must not be null");
        loop.close();
        assertThatThrownBy(() -> loop.runCoroutineThreadsafe(() -> 1)).isInstanceOf(EventLoopClosedException.class);
    }

    @Test
    @DisplayName("test_tasks.test_run_coroutine_threadsafe_task_cancelled: cancelled before it starts, it never runs")
    void aCoroutineSubmittedThenCancelledBeforeTheLoopGetsToItNeverRuns() {
        try (EventLoop loop = EventLoops.newEventLoop(new VirtualClock())) {
            List<String> ran = new ArrayList<>();
            CompletableFuture<Boolean> result = loop.runCoroutineThreadsafe(() -> ran.add("ran"));

            assertThat(result.cancel(false)).isTrue();
            loop.runUntilComplete(() -> {
                Async.sleep(Duration.ZERO);
                return null;
            });

            assertThat(ran).isEmpty();
            assertThat(loop.allTasks()).isEmpty();
        }
    }

    @Test
    @DisplayName("test_waitfor: waitFor over a future (done with timeout 0, _race_condition, _less_then_0_or_0)")
    void waitForOverAFuture() throws Exception {
        try (EventLoop loop = EventLoops.newEventLoop(new VirtualClock())) {
            LoopFuture<String> done = loop.createFuture();
            done.setResult("done");
            assertThat(loop.runUntilComplete(() -> Async.waitFor(done, Duration.ZERO)))
                    .isEqualTo("done");

            LoopFuture<String> soon = loop.createFuture();
            loop.callLater(Duration.ofMillis(100), () -> soon.setResult("ok"));
            assertThat(loop.runUntilComplete(() -> Async.waitFor(soon, Duration.ofMillis(200))))
                    .isEqualTo("ok");

            Task<String> running = loop.createTask("running", () -> {
                Async.sleep(Duration.ofSeconds(10));
                return "slept";
            });
            Object thrown = loop.runUntilComplete(() -> {
                Async.sleep(Duration.ZERO);
                try {
                    return Async.waitFor(running, Duration.ofSeconds(-1));
                } catch (TimeoutException e) {
                    return e;
                }
            });
            assertThat(thrown)
                    .isInstanceOf(TimeoutException.class)
                    .hasFieldOrPropertyWithValue(
                            "message",
                            "Async.waitFor(): running did not complete within PT-1S of loop time; it was cancelled");
            assertThat(running.isCancelled()).isTrue();

            assertThatThrownBy(() -> loop.runUntilComplete(() -> Async.waitFor(Async.currentTask(), Duration.ZERO)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Task Task-")
                    .hasMessageEndingWith(" cannot wait for itself: it would wait forever");
        }
    }
}
