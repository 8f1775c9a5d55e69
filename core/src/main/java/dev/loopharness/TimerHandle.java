package dev.loopharness;

/**
 * A callback scheduled for a point in loop time, as returned by {@link EventLoop#callLater} and {@link
 * EventLoop#callAt}: asyncio's {@code TimerHandle}.
 *
 * @since 0.1.0
 */
public interface TimerHandle extends Handle {

    /**
     * The loop time, in nanoseconds on the loop's {@link EventLoop#time()} scale, at which the callback is due.
     * Safe from any thread.
     *
     * @return the deadline in loop nanoseconds
     */
    long when();
}
