package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code toCompletableFuture()} of a task: cancelling the copy asks the task to cancel, as {@code Task.cancel()}
 * does (asyncio's {@code _chain_future} cancels its source with {@code cancel()}, and {@code
 * runCoroutineThreadsafe}'s future does the same here), so the coroutine unwinds: its {@code finally} blocks run
 * and what it awaits is cancelled with it. Marking the task cancelled behind its coroutine's back would leave the
 * coroutine suspended until the loop closes.
 */
class CompletableFutureCopyTest {

    private static final long PATIENCE_SECONDS = 30;

    @Test
    void cancellingTheCopyOfATaskOnTheLoopUnwindsItsCoroutine() {
        List<String> events = new ArrayList<>();
        try (EventLoop loop = EventLoops.newEventLoop(new VirtualClock())) {
            LoopFuture<String> awaited = loop.createFuture();
            Task<String> task = loop.createTask(() -> {
                try {
                    return Async.await(awaited);
                } catch (CancellationException cancelled) {
                    events.add("coroutine saw the cancellation");
                    throw cancelled;
                } finally {
                    events.add("finally");
                }
            });
            CompletableFuture<String> copy = task.toCompletableFuture();
            loop.runUntilComplete(() -> {
                Async.sleep(Duration.ZERO); // the task is now suspended in its await
                return copy.cancel(false);
            });

            assertThatThrownBy(() -> loop.runUntilComplete(task)).isInstanceOf(CancellationException.class);
            assertThat(events).containsExactly("coroutine saw the cancellation", "finally");
            assertThat(awaited.isCancelled()).as("the future the task awaited").isTrue();
            assertThat(task.isCancelled()).isTrue();
            assertThat(copy.isCancelled()).isTrue();
        }
    }

    @Test
    void cancellingTheCopyOfATaskFromAnotherThreadUnwindsItsCoroutine() throws Exception {
        CountDownLatch unwound = new CountDownLatch(1);
        try (EventLoop loop = EventLoops.newEventLoop()) {
            CountDownLatch suspended = new CountDownLatch(1);
            Task<String> task = loop.createTask(() -> {
                try {
                    LoopFuture<String> never = Async.loop().createFuture();
                    Async.loop().callSoon(suspended::countDown);
                    return Async.await(never);
                } finally {
                    unwound.countDown();
                }
            });
            CompletableFuture<String> copy = task.toCompletableFuture();
            LoopOnThread.whileRunning(loop, () -> {
                assertThat(suspended.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
                assertThat(copy.cancel(false)).isTrue();
                // before the close: only a cancellation delivered to the coroutine runs its finally here
                assertThat(unwound.await(PATIENCE_SECONDS, TimeUnit.SECONDS))
                        .as("the coroutine's finally ran while the loop was running")
                        .isTrue();
            });
            assertThat(task.isCancelled()).isTrue();
        }
    }

    @Test
    void cancellingTheCopyOfATaskThatCatchesTheCancellationLetsItFinish() {
        try (EventLoop loop = EventLoops.newEventLoop(new VirtualClock())) {
            Task<String> task = loop.createTask(() -> {
                try {
                    return Async.await(Async.loop().<String>createFuture());
                } catch (CancellationException cancelled) {
                    return "caught";
                }
            });
            CompletableFuture<String> copy = task.toCompletableFuture();
            loop.runUntilComplete(() -> {
                Async.sleep(Duration.ZERO);
                return copy.cancel(false);
            });

            // the copy stays cancelled (CompletableFuture's rule); the task decides its own outcome, as in asyncio
            assertThat(loop.runUntilComplete(task)).isEqualTo("caught");
            assertThat(copy.isCancelled()).isTrue();
        }
    }

    @Test
    void cancellingTheCopyOfADoneTaskChangesNothing() {
        try (EventLoop loop = EventLoops.newEventLoop(new VirtualClock())) {
            Task<String> task = loop.createTask(() -> "done");
            assertThat(loop.runUntilComplete(task)).isEqualTo("done");
            CompletableFuture<String> copy = task.toCompletableFuture();

            assertThat(copy.cancel(false)).isFalse();
            loop.runUntilComplete(() -> {
                Async.sleep(Duration.ZERO);
                return null;
            });

            assertThat(task.isCancelled()).isFalse();
            assertThat(task.result()).isEqualTo("done");
        }
    }
}
