package dev.loopharness.awaitility;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.LoopFuture;
import dev.loopharness.awaitility.Condition.Poll;
import dev.loopharness.junit.internal.Arguments;
import dev.loopharness.junit.internal.Throwables;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A wait run by a coroutine on its own loop: it sleeps between polls with {@link Async#sleep}, so the loop goes
 * on, evaluates the condition in a callback on the loop, and counts every duration in loop time, which is
 * virtual time on a virtual clock.
 *
 * @param <T> what the condition yields
 */
final class LoopTimeWait<T> {

    private final EventLoop loop;
    private final WaitSettings settings;
    private final Condition<T> condition;
    private final long start;
    private final long deadline;

    private Poll<T> last;
    private Throwable lastIgnored;
    private long metSince = -1;

    LoopTimeWait(EventLoop loop, WaitSettings settings, Condition<T> condition) {
        this.loop = loop;
        this.settings = settings;
        this.condition = condition;
        this.start = loop.time();
        this.deadline = settings.atMost == null
                ? Long.MAX_VALUE
                : Arguments.saturatedAdd(start, Arguments.saturatedNanos(settings.atMost));
    }

    T run() throws Exception {
        Duration interval = settings.effectivePollDelay();
        sleepAtMost(interval);
        for (int count = 1; ; count++) {
            checkFailFast();
            if (evaluate()) {
                return succeeded();
            }
            if (loop.time() >= deadline) {
                throw timedOut();
            }
            interval = settings.pollInterval.next(count, interval);
            sleepAtMost(interval);
        }
    }

    /** One evaluation on the loop; {@code true} once the condition is met and has held long enough. */
    private boolean evaluate() throws Exception {
        LoopFuture<Poll<T>> outcome = loop.createFuture();
        loop.callSoon(() -> pollInto(outcome));
        try {
            last = Async.await(outcome);
        } catch (Exception failure) {
            if (!settings.ignored.test(failure)) {
                throw failure;
            }
            lastIgnored = failure;
            last = null;
        }
        return heldLongEnough();
    }

    private void pollInto(LoopFuture<Poll<T>> outcome) {
        try {
            outcome.setResult(condition.poll());
        } catch (Throwable failure) {
            Throwables.rethrowIfFatal(failure);
            outcome.setException(failure);
        }
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

    private void checkFailFast() throws Exception {
        if (settings.failFast != null && Boolean.TRUE.equals(settings.failFast.call())) {
            throw new TerminalFailureException(settings.failFastReason);
        }
    }

    private ConditionTimeoutException timedOut() {
        String why = condition.timeoutMessage(last);
        String message = WaitMessages.timedOut(settings.alias, why, settings.atMost, isVirtual());
        Throwable cause = lastIgnored != null ? lastIgnored : last == null ? null : last.failure();
        return new ConditionTimeoutException(message, cause);
    }

    private boolean isVirtual() {
        return loop.isVirtualTime();
    }

    private void sleepAtMost(Duration interval) {
        long remaining = deadline - loop.time();
        if (remaining <= 0 || interval.isZero()) {
            return;
        }
        Async.sleep(remaining < Arguments.saturatedNanos(interval) ? Duration.ofNanos(remaining) : interval);
    }
}
