package dev.loopharness.internal;

import dev.loopharness.Coroutine;
import dev.loopharness.EventLoopClosedException;
import java.util.concurrent.CompletableFuture;

/**
 * asyncio's {@code run_coroutine_threadsafe}: a coroutine submitted from any thread, its task created on the loop,
 * its outcome copied to a {@link CompletableFuture}; cancelling that future cancels the task.
 */
final class ThreadsafeCoroutine {

    private ThreadsafeCoroutine() {}

    static <T> CompletableFuture<T> submit(DefaultEventLoop loop, Coroutine<T> coroutine) {
        Arguments.notNull(coroutine, "coroutine");
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.callSoonThreadsafe(() -> start(loop, coroutine, result));
        return result;
    }

    private static <T> void start(DefaultEventLoop loop, Coroutine<T> coroutine, CompletableFuture<T> result) {
        if (result.isDone()) {
            return; // cancelled before the loop got to it: the coroutine never starts
        }
        TaskImpl<T> task = loop.newTask(coroutine);
        task.whenDone(() -> copyOutcome(task, result));
        result.whenComplete((value, failure) -> {
            if (result.isCancelled() && !task.isDone()) {
                cancelOnLoop(loop, task);
            }
        });
    }

    private static <T> void copyOutcome(TaskImpl<T> task, CompletableFuture<T> result) {
        Throwable failure = task.failureOrCancellation();
        if (task.isCancelled()) {
            result.cancel(false);
        } else if (failure != null) {
            task.markRetrieved(); // it goes to whoever reads the CompletableFuture
            result.completeExceptionally(failure);
        } else {
            result.complete(task.valueNow());
        }
    }

    private static void cancelOnLoop(DefaultEventLoop loop, TaskImpl<?> task) {
        try {
            loop.callSoonThreadsafe(() -> task.requestCancel(null));
        } catch (EventLoopClosedException closed) {
            // the loop closed meanwhile; closing has ended the task already
        }
    }
}
