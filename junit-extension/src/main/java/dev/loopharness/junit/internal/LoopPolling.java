package dev.loopharness.junit.internal;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.spi.Polling;
import java.time.Duration;

/**
 * The one way the library polls in loop time, for {@code LoopAwaitility} and {@code LoopMockito.timeout}: a
 * coroutine attempts, sleeps until the next poll instant, and attempts again until an attempt succeeds or the
 * deadline has passed; the last attempt is made at the deadline itself.
 *
 * <p>Between two polls the waiting coroutine suspends with {@link Async#sleep}, so the loop runs whatever is due
 * meanwhile. On a virtual clock, when nothing else is due before the next poll instant (see {@link
 * Polling#advanceIdleTo}), the clock moves there at once and the coroutine goes on without the hand-off
 * to the loop and back: an attempt sees the same clock reading either way, and a long wait costs real time in
 * proportion to what the loop does, not to the number of polls. The loop times the coroutine's step afresh from
 * each such poll, as after a suspension, so the library's own wait is not reported as a slow step.
 */
public final class LoopPolling {

    /**
     * One attempt, made by the waiting coroutine while it holds the loop.
     *
     * @param <X> the exception an attempt may throw
     */
    @FunctionalInterface
    public interface Attempt<X extends Exception> {
        /**
         * Tries once.
         *
         * @return {@code true} to end the wait: the attempt succeeded
         * @throws X to end the wait with it
         */
        boolean succeeded() throws X;
    }

    /** The time between two polls. */
    @FunctionalInterface
    public interface Interval {
        /**
         * The interval after a poll.
         *
         * @param count how many polls were made, from 1
         * @param previous the interval before the last poll (the first delay, before the first)
         * @return the interval before the next poll; zero or positive
         */
        Duration next(int count, Duration previous);
    }

    private final EventLoop loop;
    private final boolean inline;

    private LoopPolling(EventLoop loop) {
        this.loop = loop;
        this.inline = loop.isVirtualTime();
    }

    /**
     * Polls from the calling coroutine on its loop: waits {@code firstDelay}, then attempts at the intervals given
     * until an attempt succeeds or, after an attempt at or past the deadline, gives up. Every wait ends at the
     * deadline at the latest.
     *
     * @param <X> the exception an attempt may throw
     * @param loop the calling coroutine's loop
     * @param deadline the loop time after which no attempt is made, in nanoseconds ({@code Long.MAX_VALUE}: none)
     * @param firstDelay the wait before the first attempt; zero or positive
     * @param interval the waits between attempts
     * @param attempt the attempt
     * @return {@code true} if an attempt succeeded, {@code false} if the deadline passed first
     * @throws X what an attempt threw
     */
    public static <X extends Exception> boolean poll(
            EventLoop loop, long deadline, Duration firstDelay, Interval interval, Attempt<X> attempt) throws X {
        LoopPolling polling = new LoopPolling(loop);
        Duration wait = firstDelay;
        polling.sleepAtMost(wait, deadline);
        for (int count = 1; ; count++) {
            if (attempt.succeeded()) {
                return true;
            }
            if (loop.time() >= deadline) {
                return false;
            }
            wait = interval.next(count, wait);
            polling.sleepAtMost(wait, deadline);
        }
    }

    /**
     * The loop time {@code timeout} after now, saturated.
     *
     * @param loop the loop
     * @param timeout the timeout; {@code null}: none
     * @return the deadline, in nanoseconds of loop time ({@code Long.MAX_VALUE}: none)
     */
    public static long deadline(EventLoop loop, Duration timeout) {
        return timeout == null
                ? Long.MAX_VALUE
                : Arguments.saturatedAdd(loop.time(), Arguments.saturatedNanos(timeout));
    }

    private void sleepAtMost(Duration wait, long deadline) {
        long now = loop.time();
        long remaining = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - now;
        if (remaining <= 0 || wait.isZero()) {
            return;
        }
        long nanos = Math.min(remaining, Arguments.saturatedNanos(wait));
        if (!inline || !Polling.advanceIdleTo(loop, now + nanos)) {
            Async.sleep(Duration.ofNanos(nanos));
        }
    }
}
