package dev.loopharness.awaitility;

import dev.loopharness.EventLoop;
import dev.loopharness.awaitility.Condition.Poll;
import dev.loopharness.junit.internal.LoopPolling;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A wait run by a coroutine on its own loop, with the library's loop-time poll ({@link LoopPolling}): the loop
 * runs what is due between polls, the waiting coroutine evaluates the condition while it holds the loop, and
 * every duration is loop time, which is virtual time on a virtual clock.
 *
 * @param <T> what the condition yields
 */
final class LoopTimeWait<T> {

    private final EventLoop loop;
    private final WaitSettings settings;
    private final Condition<T> condition;
    private final long start;

    private Poll<T> last;
    private Throwable lastIgnored;
    private long metSince = -1;

    LoopTimeWait(EventLoop loop, WaitSettings settings, Condition<T> condition) {
        this.loop = loop;
        this.settings = settings;
        this.condition = condition;
        this.start = loop.time();
    }

    T run() throws Exception {
        long deadline = LoopPolling.deadline(loop, settings.atMost);
        boolean met = LoopPolling.poll(
                loop, deadline, settings.effectivePollDelay(), settings.pollInterval::next, this::evaluate);
        if (!met) {
            throw timedOut();
        }
        return succeeded();
    }

    /** One evaluation; {@code true} once the condition is met and has held long enough. */
    private boolean evaluate() throws Exception {
        if (settings.failFast != null && Boolean.TRUE.equals(settings.failFast.call())) {
            throw new TerminalFailureException(settings.failFastReason);
        }
        try {
            last = condition.poll();
        } catch (Exception failure) {
            if (!settings.ignored.test(failure)) {
                throw failure;
            }
            lastIgnored = failure;
            last = null;
        }
        return heldLongEnough();
    }

    private boolean heldLongEnough() {
        if (last == null || !last.met()) {
            metSince = -1;
            return false;
        }
        long now = loop.time();
        if (metSince < 0) {
            metSince = now;
        }
        return settings.holdFor == null || now - metSince >= settings.holdFor.toNanos();
    }

    private T succeeded() {
        Duration elapsed = Duration.ofNanos(loop.time() - start);
        if (settings.atLeast != null && elapsed.compareTo(settings.atLeast) < 0) {
            throw new ConditionTimeoutException(WaitMessages.tooEarly(elapsed, settings.atLeast));
        }
        return last.value();
    }

    private ConditionTimeoutException timedOut() {
        String why = condition.timeoutMessage(last);
        String message = WaitMessages.timedOut(settings.alias, why, settings.atMost, loop.isVirtualTime());
        Throwable cause = lastIgnored != null ? lastIgnored : last == null ? null : last.failure();
        return new ConditionTimeoutException(message, cause);
    }
}
