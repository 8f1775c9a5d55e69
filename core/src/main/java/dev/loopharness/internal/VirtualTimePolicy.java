package dev.loopharness.internal;

import dev.loopharness.VirtualClock;
import dev.loopharness.VirtualTimeDeadlockException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What a loop on a {@link VirtualClock} does when it has nothing ready: wait, jump the clock to the next timer
 * (autojump), or report a deadlock. Every such decision is made in {@link #idle}. Confined to the thread
 * running the loop.
 *
 * <p>Virtual time moves only when nothing else can happen, and only after the clock's autojump threshold of
 * real time. Declared work on other threads ({@code runInExecutor}, {@code wrapFuture}) holds the clock still
 * until it settles; the test's timeout, not the loop, bounds that wait. A foreign stage awaited without being
 * declared holds nothing: the loop cannot tell one another thread completes from one its own timers complete,
 * and holding for the second kind would cost real time on every await ({@link UndeclaredCompletion} reports
 * the first kind after the fact). With nothing ready, no timer and nothing held while something awaits,
 * nothing can ever happen: after the grace for calls from threads the loop cannot see, that is a deadlock,
 * reported with where each task waits.
 */
final class VirtualTimePolicy {

    /** How the loop's thread waits for work from other threads. */
    @FunctionalInterface
    interface Waiter {
        /**
         * Waits until another thread schedules a callback, or until the timeout.
         *
         * @param timeoutNanos the longest wait, or -1 for none
         * @return whether callbacks arrived from other threads
         */
        boolean await(long timeoutNanos);
    }

    private final VirtualClock clock;
    private final ForeignWork foreign;
    private final BooleanSupplier awaitsAnything;
    private final Supplier<String> deadlockMessage;

    /**
     * Creates the policy of one loop.
     *
     * @param clock the loop's clock
     * @param foreign the work the loop awaits from other threads
     * @param awaitsAnything whether anything awaits: a task, or a {@code runUntilComplete} call
     * @param deadlockMessage the message of a deadlock: what waits where
     */
    VirtualTimePolicy(
            VirtualClock clock, ForeignWork foreign, BooleanSupplier awaitsAnything, Supplier<String> deadlockMessage) {
        this.clock = clock;
        this.foreign = foreign;
        this.awaitsAnything = awaitsAnything;
        this.deadlockMessage = deadlockMessage;
    }

    /** The deadlock grace of the loop's clock, for the deadlock report. */
    Duration deadlockGrace() {
        return clock.getDeadlockGrace();
    }

    /** The wall-clock instant of the loop's current time. */
    Instant instant() {
        return clock.instant();
    }

    /**
     * Waits, jumps the clock to {@code next}, or throws: the loop has nothing ready.
     *
     * @param next the earliest live timer, or {@code null}
     * @param waiter waits for work from other threads
     * @throws VirtualTimeDeadlockException when nothing can ever happen
     */
    void idle(TimerHandleImpl next, Waiter waiter) {
        if (foreign.holdsClock()) {
            waiter.await(-1);
        } else if (next != null) {
            long threshold = Arguments.saturatedNanos(clock.getAutojumpThreshold());
            if (threshold == 0 || !waiter.await(threshold)) {
                clock.advanceTo(next.when);
            }
        } else if (!awaitsAnything.getAsBoolean()) {
            waiter.await(-1);
        } else if (!waiter.await(Arguments.saturatedNanos(clock.getDeadlockGrace()))) {
            throw new VirtualTimeDeadlockException(deadlockMessage.get());
        }
    }

    /**
     * Jumps the clock to {@code target} now, for a coroutine that would sleep until then while the loop has
     * nothing else due: only when {@link #idle} would jump at once too (no declared work holds the clock, no
     * autojump threshold).
     *
     * @param target the loop time to jump to
     * @return whether the clock jumped
     */
    boolean jumpInline(long target) {
        if (foreign.holdsClock() || !clock.getAutojumpThreshold().isZero()) {
            return false;
        }
        clock.advanceTo(target);
        return true;
    }
}
