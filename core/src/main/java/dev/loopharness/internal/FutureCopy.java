package dev.loopharness.internal;

import dev.loopharness.EventLoopClosedException;
import java.util.concurrent.CompletableFuture;

/**
 * A loop future's {@code toCompletableFuture()}: a {@link CompletableFuture} that any thread may use, settled on
 * the loop as the future settles; cancelling the copy requests the future's cancellation.
 */
final class FutureCopy {

    private FutureCopy() {}

    /** A new copy of {@code future}, settled now if it is done. Any thread. */
    static <T> CompletableFuture<T> of(FutureImpl<T> future) {
        CompletableFuture<T> copy = new CompletableFuture<>();
        DefaultEventLoop loop = future.loop;
        if (future.isDone()) {
            copyOutcome(future, copy);
        } else if (loop.isOwnerThread()) {
            future.whenDone(() -> copyOutcome(future, copy));
        } else {
            loop.callSoonThreadsafe(() -> future.whenDone(() -> copyOutcome(future, copy)));
        }
        copy.whenComplete((ignored, failure) -> {
            if (copy.isCancelled() && !future.isDone() && !loop.isClosed()) {
                cancelFromCopy(future);
            }
        });
        return copy;
    }

    /**
     * Cancels a future because its copy was cancelled: a request, as {@code cancel()} makes it, so that a task's
     * coroutine unwinds (asyncio's {@code _chain_future} calls {@code cancel()} on its source). A loop closed
     * meanwhile has settled everything already.
     */
    private static void cancelFromCopy(FutureImpl<?> future) {
        try {
            future.loop.callSoonThreadsafe(() -> future.requestCancel(null));
        } catch (EventLoopClosedException closed) {
            // closing has cancelled this future, or dropped it with its loop
        }
    }

    private static <T> void copyOutcome(FutureImpl<T> future, CompletableFuture<T> copy) {
        Throwable failure = future.failureOrCancellation();
        if (future.isCancelled()) {
            copy.cancel(false);
        } else if (failure != null) {
            future.markRetrieved();
            copy.completeExceptionally(failure);
        } else {
            copy.complete(future.valueNow());
        }
    }
}
