package dev.loopharness.internal;

import dev.loopharness.LoopFuture;
import dev.loopharness.TimerHandle;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * asyncio's {@code wait_for}, with the cancellation rules of CPython 3.11's: the waiting task never awaits the
 * future itself, only a waiter that the future or the timer releases, so that a cancellation of the waiting
 * task is never mistaken for the future's. On a timeout, or when the waiting task is cancelled, the future is
 * cancelled and waited for until it has settled; a cancellation of the waiting task during that second wait ends
 * it at once and leaves the future to finish on its own.
 */
final class WaitFor {

    private WaitFor() {}

    /**
     * Waits for a future at most a duration of loop time.
     *
     * @param task the waiting task, current on this thread
     * @param future the future, of the task's loop
     * @param timeout the longest wait; zero or less cancels the future at once unless it is done
     * @param name how the message names the future
     * @return the future's result
     * @throws TimeoutException if the time was up and the future ended cancelled
     */
    static <T> T await(TaskImpl<?> task, FutureImpl<T> future, Duration timeout, String name) throws TimeoutException {
        if (timeout.isZero() || timeout.isNegative()) {
            if (future.isDone()) {
                return future.result();
            }
            cancelAndWait(task, future);
            return resultOrTimeout(future, timeout, name);
        }
        FutureImpl<Void> waiter = new FutureImpl<>(task.loop);
        Consumer<LoopFuture<T>> release = done -> waiter.complete(null);
        future.addDoneCallbackInternal(release);
        TimerHandle timer = task.loop.callLater(timeout, () -> waiter.complete(null));
        try {
            task.await(waiter);
        } catch (CancellationException cancelled) {
            if (!future.isDone()) {
                future.removeDoneCallbackInternal(release);
                cancelAndWait(task, future);
            }
            throw cancelled;
        } finally {
            timer.cancel();
        }
        if (future.isDone()) {
            return future.result();
        }
        future.removeDoneCallbackInternal(release);
        cancelAndWait(task, future);
        return resultOrTimeout(future, timeout, name);
    }

    /** Cancels the future and waits until it has settled; a cancellation of the task ends the wait at once. */
    private static void cancelAndWait(TaskImpl<?> task, FutureImpl<?> future) {
        FutureImpl<Void> settled = new FutureImpl<>(task.loop);
        future.addDoneCallbackInternal(done -> settled.complete(null));
        future.requestCancel(null);
        task.await(settled);
    }

    private static <T> T resultOrTimeout(FutureImpl<T> future, Duration timeout, String name) throws TimeoutException {
        if (!future.isCancelled()) {
            return future.result(); // it caught the cancellation and finished: its value or its failure
        }
        TimeoutException timedOut = new TimeoutException(
                "Async.waitFor(): " + name + " did not complete within " + timeout + " of loop time; it was cancelled");
        timedOut.initCause(future.failureOrCancellation());
        throw timedOut;
    }
}
