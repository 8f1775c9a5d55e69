package dev.loopharness.spi;

import dev.loopharness.EventLoop;
import dev.loopharness.internal.DefaultEventLoop;

/**
 * What a helper that polls in loop time needs from the loop (the library's Awaitility and Mockito bridges are
 * two): a way to reach the next poll instant without a hand-off when nothing else is due before it. For test
 * harnesses; not for application code.
 *
 * @since 0.1.0
 */
public final class Polling {

    private Polling() {}

    /**
     * Moves virtual time to {@code target} at once when the loop has nothing to do before then, for the coroutine
     * that holds the loop and would otherwise sleep until {@code target}: the outcome is the sleep's, without the
     * hand-off to the loop and back. It does so only on a virtual clock with no autojump threshold, while the loop
     * runs and explores no schedule, with no callback ready or posted from another thread, no live timer due at or
     * before {@code target} and no declared work holding the clock; otherwise it changes nothing and the caller
     * sleeps as usual. The loop times the caller's step afresh from here, as after a suspension. Call it only from
     * a coroutine of {@code loop}.
     *
     * @param loop the calling coroutine's loop; not {@code null}
     * @param target the loop time to move to, in nanoseconds; later than {@code loop.time()}
     * @return whether the clock now reads {@code target}; {@code false} for a loop the library did not make
     */
    public static boolean advanceIdleTo(EventLoop loop, long target) {
        return loop instanceof DefaultEventLoop && ((DefaultEventLoop) loop).advanceIdleTo(target);
    }
}
