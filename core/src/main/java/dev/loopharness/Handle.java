package dev.loopharness;

/**
 * A callback scheduled on an {@link EventLoop}, as returned by {@link EventLoop#callSoon(Runnable)} and
 * {@link EventLoop#callSoonThreadsafe(Runnable)}: asyncio's {@code Handle}.
 *
 * @since 0.1.0
 */
public interface Handle {

    /**
     * Cancels the callback: if it has not run yet, it never will. Cancelling a handle that already ran or was
     * cancelled does nothing. Call it on the loop's thread (or while the loop is not running); in debug mode a
     * call from another thread is refused.
     */
    void cancel();

    /**
     * Tells whether {@link #cancel()} was called. Safe from any thread.
     *
     * @return {@code true} once the handle is cancelled
     */
    boolean isCancelled();
}
