package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopharness.internal.DefaultEventLoop;
import dev.loopharness.internal.DroppedWork;
import dev.loopharness.spi.OwnedLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The loop under faults and misuse: each test is a defect that probing found, kept as a regression test. A
 * coroutine that refuses to end, submissions that a close drops, a task settled from outside, a future settled on
 * a closed loop, a stack overflow inside a suspension, a failure hidden by chaining, a closing thread left as the
 * owner, and Javadoc that promised other exceptions than the code threw.
 */
class LoopFaultsTest {

    private final List<ExceptionContext> reports = new CopyOnWriteArrayList<>();

    private EventLoop newLoop() {
        EventLoop loop = EventLoops.newEventLoop();
        loop.setExceptionHandler((l, context) -> reports.add(context));
        return loop;
    }

    private static void startTasks(EventLoop loop) {
        loop.runUntilComplete(() -> {
            Async.sleep(Duration.ZERO);
            return null;
        });
    }

    /** Closes the loop on a thread of its own and fails, instead of hanging, if the close does not return. */
    private static void closeWithin(EventLoop loop, Duration patience) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread closer = new Thread(
                () -> {
                    try {
                        loop.close();
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                },
                "closer");
        closer.setDaemon(true);
        closer.start();
        closer.join(patience.toMillis());
        assertThat(closer.isAlive())
                .as("close() still running after %s", patience)
                .isFalse();
        assertThat(failure.get()).isNull();
    }

    // ---- 1. close() returns whatever coroutines do ------------------------------------------------------

    @Test
    void closeReturnsWhenACoroutineCatchesItsUnwindingAndAwaitsAgain() throws InterruptedException {
        EventLoop loop = newLoop();
        loop.setUnwindTimeout(Duration.ofMillis(200));
        AtomicBoolean release = new AtomicBoolean();
        AtomicInteger swallowed = new AtomicInteger();
        AtomicReference<Thread> taskThread = new AtomicReference<>();
        LoopFuture<Void> never = loop.createFuture();
        Task<Void> stubborn = loop.createTask(() -> {
            taskThread.set(Thread.currentThread());
            while (!release.get()) {
                try {
                    Async.await(never);
                } catch (CancellationException refused) {
                    swallowed.incrementAndGet();
                }
            }
            return null;
        });
        startTasks(loop);

        closeWithin(loop, Duration.ofSeconds(60));

        assertThat(loop.isClosed()).isTrue();
        assertThat(stubborn.isCancelled()).isTrue();
        assertThat(swallowed.get()).isPositive();
        assertThat(reports).singleElement().satisfies(context -> {
            assertThat(context.task()).containsSame(stubborn);
            assertThat(context.message())
                    .startsWith("Task " + stubborn.getName() + " did not end within 0.200 seconds of its loop's close;"
                            + " it was running at ")
                    .contains("LoopFaultsTest.java:")
                    .contains("let the cancellation propagate")
                    .endsWith("its thread was interrupted and goes on alone, and every await in it throws.");
        });
        release.set(true);
        taskThread.get().join(60_000);
        assertThat(taskThread.get().isAlive()).isFalse();
    }

    @Test
    void aCoroutineBlockedInItsFinallyBlockIsAbandonedAndInterrupted() throws InterruptedException {
        EventLoop loop = newLoop();
        loop.setUnwindTimeout(Duration.ofMillis(100));
        AtomicReference<Thread> taskThread = new AtomicReference<>();
        AtomicReference<Throwable> endedWith = new AtomicReference<>();
        Task<Void> blocked = loop.createTask(() -> {
            taskThread.set(Thread.currentThread());
            try {
                Async.await(Async.loop().createFuture());
            } finally {
                try {
                    Thread.sleep(TimeUnit.MINUTES.toMillis(10));
                } catch (InterruptedException interrupted) {
                    endedWith.set(interrupted);
                }
            }
            return null;
        });
        startTasks(loop);

        closeWithin(loop, Duration.ofSeconds(60));

        assertThat(blocked.isCancelled()).isTrue();
        assertThat(reports)
                .singleElement()
                .satisfies(context -> assertThat(context.message())
                        .startsWith("Task " + blocked.getName() + " did not end within 0.100 seconds")
                        .contains("LoopFaultsTest"));
        taskThread.get().join(60_000);
        assertThat(taskThread.get().isAlive()).isFalse();
        assertThat(endedWith.get()).isInstanceOf(InterruptedException.class);
    }

    @Test
    void theUnwindTimeoutRefusesNonPositiveValuesByName() {
        EventLoop loop = newLoop();
        assertThat(loop.getUnwindTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> loop.setUnwindTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout")
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> loop.setUnwindTimeout(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("timeout must not be null");
        loop.close();
    }

    // ---- 2. nothing accepted is dropped without a trace -----------------------------------------------------

    @Test
    void everyCallbackThatTheCloseDropsReportsCancelledAndIsCounted() throws InterruptedException {
        EventLoop loop = newLoop();
        Handle soon = loop.callSoon(() -> {});
        TimerHandle later = loop.callLater(Duration.ofHours(1), () -> {});
        AtomicReference<Handle> posted = new AtomicReference<>();
        Thread other = new Thread(() -> posted.set(loop.callSoonThreadsafe(() -> {})));
        other.start();
        other.join();
        loop.asScheduledExecutorService().execute(() -> {});
        assertThat(List.of(soon, later, posted.get())).noneMatch(Handle::isCancelled);

        loop.close();

        assertThat(List.of(soon, later, posted.get())).allMatch(Handle::isCancelled);
        DroppedWork dropped = ((DefaultEventLoop) loop).droppedAtClose();
        assertThat(dropped.callbacks()).isEqualTo(1);
        assertThat(dropped.timers()).isEqualTo(1);
        assertThat(dropped.fromOtherThreads()).isEqualTo(2); // the post, and the view's hand-over of its task
        assertThat(dropped.viewTasks()).isEqualTo(1);
        assertThat(dropped.total()).isEqualTo(5);
    }

    @Test
    void aHandleThatRanIsNotCancelledAndCancellingItLaterMarksItCancelled() {
        EventLoop loop = newLoop();
        List<String> ran = new ArrayList<>();
        Handle handle = loop.callSoon(() -> ran.add("ran"));
        startTasks(loop);
        assertThat(ran).containsExactly("ran");
        assertThat(handle.isCancelled()).isFalse();
        assertThat(handle).hasToString("<Handle done>");
        handle.cancel();
        assertThat(handle.isCancelled()).isTrue();
        loop.close();
        assertThat(((DefaultEventLoop) loop).droppedAtClose().total()).isZero();
    }

    @Test
    void afterCloseEverySubmissionThrows() {
        EventLoop loop = newLoop();
        loop.close();
        assertThatThrownBy(() -> loop.callSoonThreadsafe(() -> {}))
                .isInstanceOf(EventLoopClosedException.class)
                .hasMessageStartingWith("Event loop is closed");
        assertThatThrownBy(() -> loop.execute(() -> {}))
                .isInstanceOf(EventLoopClosedException.class)
                .hasMessageStartingWith("Event loop is closed");
        assertThatThrownBy(() -> loop.asScheduledExecutorService().execute(() -> {}))
                .isInstanceOf(java.util.concurrent.RejectedExecutionException.class)
                .hasMessageContaining("rejected");
    }

    @Test
    void callSoonAndCallSoonThreadsafeOnTheLoopsThreadKeepOneFifoOrder() {
        // test_base_events: call_soon_threadsafe from the loop's own thread appends to the same ready queue
        EventLoop loop = newLoop();
        List<String> order = new ArrayList<>();
        loop.callSoon(() -> {
            loop.callSoon(() -> order.add("a"));
            loop.callSoonThreadsafe(() -> order.add("b"));
            loop.callSoon(() -> order.add("c"));
        });
        loop.runUntilComplete(() -> {
            Async.sleep(Duration.ZERO);
            Async.loop().callSoonThreadsafe(() -> order.add("d"));
            Async.loop().callSoon(() -> order.add("e"));
            Async.sleep(Duration.ZERO);
            Async.sleep(Duration.ZERO);
            return null;
        });
        assertThat(order).containsExactly("a", "b", "c", "d", "e");
        loop.close();
    }

    // ---- 3. and 4. settling from outside ----------------------------------------------------------------

    @Test
    void aTaskRefusesSetResultAndSetExceptionAndKeepsItsCoroutinesOutcome() {
        EventLoop loop = newLoop();
        LoopFuture<String> gate = loop.createFuture();
        Task<String> task = loop.createTask(() -> "own " + Async.await(gate));
        startTasks(loop);

        assertThatThrownBy(() -> task.setResult("forced"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Task does not support setResult(): <Task '" + task.getName() + "' pending")
                .hasMessageEndingWith("cancel() it, or settle a future that the coroutine awaits");
        assertThatThrownBy(() -> task.setException(new IOException("forced")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Task does not support setException(): ");
        assertThat(task.isDone()).isFalse();
        assertThat(loop.allTasks()).containsExactly(task);

        gate.setResult("value");
        assertThat(loop.runUntilComplete(task)).isEqualTo("own value");
        loop.close();
    }

    @Test
    void settlingAFutureOfAClosedLoopThrowsAndLeavesItPending() {
        EventLoop loop = newLoop();
        LoopFuture<String> first = loop.createFuture();
        LoopFuture<String> second = loop.createFuture();
        LoopFuture<String> third = loop.createFuture();
        List<String> callbacks = new ArrayList<>();
        first.addDoneCallback(done -> callbacks.add("first"));
        loop.close();

        assertThatThrownBy(() -> first.setResult("late"))
                .isInstanceOf(EventLoopClosedException.class)
                .hasMessageStartingWith("Event loop is closed");
        assertThatThrownBy(() -> second.setException(new IOException("late")))
                .isInstanceOf(EventLoopClosedException.class)
                .hasMessageStartingWith("Event loop is closed");
        assertThatThrownBy(third::cancel)
                .isInstanceOf(EventLoopClosedException.class)
                .hasMessageStartingWith("Event loop is closed");
        assertThat(List.of(first, second, third)).noneMatch(LoopFuture::isDone);
        assertThat(callbacks).isEmpty();
    }

    // ---- 5. a stack overflow inside the suspension itself -------------------------------------------------

    private static int recurseThenSleep(int depth) {
        if (depth == 0) {
            Async.sleep(Duration.ofMillis(1));
            return 0;
        }
        return recurseThenSleep(depth - 1) + 1;
    }

    /** Runs on a thread of its own, so that a hang fails the test instead of stalling the suite. */
    private static <T> AtomicReference<Object> runWithin(EventLoop loop, Coroutine<T> coroutine)
            throws InterruptedException {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread runner = new Thread(
                () -> {
                    try {
                        outcome.set(loop.runUntilComplete(coroutine));
                    } catch (Throwable t) {
                        outcome.set(t);
                    }
                },
                "runner");
        runner.setDaemon(true);
        runner.start();
        runner.join(120_000);
        assertThat(runner.isAlive())
                .as("runUntilComplete still running: the loop hangs")
                .isFalse();
        return outcome;
    }

    @Test
    void aTaskWhoseStackOverflowsWhileSuspendingFailsWithTheStackOverflowError() throws InterruptedException {
        // deeper and deeper recursions that end in a sleep, until twenty in a row overflow: on the way the
        // overflow strikes at every point of the suspension, on a real and on a virtual clock in turn
        int overflowsInARow = 0;
        int completed = 0;
        for (int depth = 500; overflowsInARow < 20 && depth < 2_000_000; depth += 37) {
            int frames = depth;
            boolean virtual = depth % 2 == 0;
            EventLoop loop = virtual ? EventLoops.newEventLoop(new VirtualClock()) : newLoop();
            loop.setExceptionHandler((l, context) -> {});
            AtomicReference<Object> outcome = runWithin(loop, () -> {
                Async.sleep(Duration.ofMillis(1));
                return recurseThenSleep(frames);
            });
            if (outcome.get() instanceof StackOverflowError) {
                overflowsInARow++;
            } else {
                assertThat(outcome.get())
                        .as("depth %d, virtual clock %s", depth, virtual)
                        .isEqualTo(depth);
                overflowsInARow = 0;
                completed++;
            }
            assertThat(loop.allTasks()).isEmpty();
            loop.close();
        }
        assertThat(overflowsInARow).isEqualTo(20);
        assertThat(completed).isPositive();
    }

    // ---- 7. a failure is not silenced by chaining ---------------------------------------------------------

    @Test
    void aFailedTaskWhoseOnlyDependentIsNeverReadIsReportedAtClose() {
        EventLoop loop = newLoop();
        IOException boom = new IOException("boom");
        Task<Integer> task = loop.createTask(() -> {
            throw boom;
        });
        task.thenApply(value -> value + 1).thenApply(value -> value * 2);
        loop.runUntilComplete(() -> {
            while (!task.isDone()) {
                Async.sleep(Duration.ZERO);
            }
            Async.sleep(Duration.ZERO);
            Async.sleep(Duration.ZERO);
            return null;
        });

        loop.close();

        assertThat(reports).singleElement().satisfies(context -> {
            assertThat(context.message()).isEqualTo("Future exception was never retrieved");
            assertThat(context.exception()).isSameAs(boom);
        });
    }

    @Test
    void aFailureReadFromADependentIsNotReported() {
        EventLoop loop = newLoop();
        IOException boom = new IOException("boom");
        Task<Integer> task = loop.createTask(() -> {
            throw boom;
        });
        CompletableFuture<Integer> copy = task.thenApply(value -> value + 1).toCompletableFuture();
        assertThatThrownBy(() -> loop.runUntilComplete(copy)).isSameAs(boom);
        loop.close();
        assertThat(reports).isEmpty();
    }

    // ---- 8. the closing thread does not stay the owner -----------------------------------------------------

    @Test
    void afterACloseFromAnotherThreadNoThreadIsTheOwner() throws InterruptedException {
        OwnedLoop owned = OwnedLoop.create(LoopClock.system());
        EventLoop loop = owned.loop();
        loop.setDebug(true);
        loop.createTask(() -> Async.await(Async.loop().createFuture()));
        startTasks(loop);
        LoopFuture<String> done = loop.createFuture();
        done.setResult("value");

        closeWithin(loop, Duration.ofSeconds(60));

        assertThat(((DefaultEventLoop) loop).isOwnerThread()).isTrue();
        assertThat(done.cancel()).isFalse();
        assertThat(owned.runningTaskThread()).isNull();
    }

    // ---- 9. code and Javadoc agree -------------------------------------------------------------------------

    @Test
    void runningUntilAnotherLoopsFutureCompletesIsAnIllegalArgument() {
        EventLoop loop = newLoop();
        EventLoop other = newLoop();
        LoopFuture<String> foreign = other.createFuture();
        assertThatThrownBy(() -> loop.runUntilComplete(foreign))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("<LoopFuture pending> belongs to " + other + ", not to " + loop
                        + "; to pass a result between loops, use toCompletableFuture()");
        loop.close();
        other.close();
    }

    @Test
    void nullArgumentsAreRefusedByName() {
        EventLoop loop = newLoop();
        Task<Object> task = loop.createTask(() -> Async.await(Async.loop().createFuture()));
        assertThatThrownBy(() -> task.cancel((String) null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("message must not be null");
        assertThatThrownBy(() -> ExceptionContext.of(null, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("message must not be null");
        ExceptionContext context = ExceptionContext.of("what happened", null);
        assertThatThrownBy(() -> context.withTask(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("task must not be null");
        assertThatThrownBy(() -> context.withHandle(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("handle must not be null");
        assertThat(task.cancel()).isTrue();
        loop.close();
    }
}
