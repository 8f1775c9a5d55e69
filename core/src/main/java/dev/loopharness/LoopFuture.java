package dev.loopharness;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The result of an asynchronous operation on an {@link EventLoop}: asyncio's {@code Future}, and a complete
 * {@link CompletionStage}.
 *
 * <p><b>Threads.</b> A loop future belongs to one loop and, like asyncio's, is not thread-safe: complete,
 * cancel and chain it on the loop's thread (inside callbacks and coroutines of that loop), or while the loop
 * is not running. In debug mode a call from another thread is refused. The state queries ({@link #isDone()},
 * {@link #isCancelled()}) are safe from any thread. To hand a result to other threads, use {@link
 * #toCompletableFuture()}: it returns a new copy that completes when this future does; cancelling the copy
 * (from any thread) before this future is done cancels this future on the loop as {@link #cancel()} does, so
 * the coroutine of a {@link Task} unwinds.
 *
 * <p><b>Callbacks.</b> Done callbacks and the functions of dependent stages never run inline: when the future
 * completes, each one is scheduled with {@link EventLoop#callSoon(Runnable)} and runs on a later iteration of
 * the loop, in the order they were added. The {@code *Async} variants without an executor use the loop as
 * well; with an executor, the function runs there and the dependent stage completes on the loop.
 *
 * <p><b>Failures.</b> A dependent stage fails with the same exception instance as its source, not wrapped in
 * a {@link java.util.concurrent.CompletionException}; a function that throws fails its stage with what it
 * threw. A cancelled source cancels its dependents; functions that receive a failure ({@code handle}, {@code
 * whenComplete}, {@code exceptionally}) receive a {@link java.util.concurrent.CancellationException}.
 *
 * @param <T> the type of the result
 * @since 0.1.0
 */
public interface LoopFuture<T> extends CompletionStage<T> {

    /**
     * Tells whether the future has a result, an exception, or was cancelled. Safe from any thread.
     *
     * @return {@code true} once done
     */
    boolean isDone();

    /**
     * Tells whether the future was cancelled. Safe from any thread.
     *
     * @return {@code true} if cancelled
     */
    boolean isCancelled();

    /**
     * Cancels the future, if it is not done yet, and schedules its done callbacks. Cancelling a future that
     * already failed counts as retrieving its exception, as in asyncio: it is not reported as never retrieved.
     *
     * @return {@code true} if this call cancelled it; {@code false} if it was already done
     * @throws EventLoopClosedException if the future is pending and its loop is closed: its callbacks could
     *     never run, so the future is left as it is
     */
    boolean cancel();

    /**
     * Returns the result, or throws the failure.
     *
     * @return the result, may be {@code null}
     * @throws IllegalStateException {@code "Result is not set."} if the future is not done
     * @throws java.util.concurrent.CancellationException if it was cancelled
     * @throws RuntimeException the future's exception, as the same instance; checked exceptions are thrown
     *     as they are, undeclared, so catch {@link Exception} to handle them
     */
    T result();

    /**
     * Returns the exception the future failed with, and marks it retrieved.
     *
     * @return the exception, or {@code null} if the future succeeded
     * @throws IllegalStateException {@code "Exception is not set."} if the future is not done
     * @throws java.util.concurrent.CancellationException if it was cancelled
     */
    Throwable exception();

    /**
     * Completes the future with a result and schedules its done callbacks.
     *
     * @param value the result, may be {@code null}
     * @throws IllegalStateException if the future is done already, or it is a {@link Task} (whose outcome is
     *     its coroutine's: {@code "Task does not support setResult()"})
     * @throws EventLoopClosedException if its loop is closed: the future is left pending, since its callbacks
     *     could never run
     */
    void setResult(T value);

    /**
     * Completes the future with an exception and schedules its done callbacks.
     *
     * @param exception the failure; must not be {@code null}
     * @throws NullPointerException if {@code exception} is {@code null}
     * @throws IllegalStateException if the future is done already, or it is a {@link Task} ({@code "Task does
     *     not support setException()"})
     * @throws EventLoopClosedException if its loop is closed: the future is left pending
     */
    void setException(Throwable exception);

    /**
     * Adds a callback to run once the future is done. It is always scheduled with {@link
     * EventLoop#callSoon(Runnable)}, never run inline, even if the future is done already.
     *
     * @param callback receives this future; must not be {@code null}
     * @throws NullPointerException if {@code callback} is {@code null}
     */
    void addDoneCallback(Consumer<? super LoopFuture<T>> callback);

    /**
     * Removes every registration of a done callback that has not been scheduled yet.
     *
     * @param callback the callback, as given to {@link #addDoneCallback(Consumer)}
     * @return how many registrations were removed
     */
    int removeDoneCallback(Consumer<? super LoopFuture<T>> callback);

    /**
     * The loop this future belongs to.
     *
     * @return the loop, never {@code null}
     */
    EventLoop loop();
}
