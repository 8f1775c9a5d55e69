package dev.loopharness;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link LoopClock} whose time moves only when it is told to: by a loop that has nothing ready and jumps
 * it to its next timer, or by {@link #advance(Duration)}. With it, {@code Async.sleep(Duration.ofHours(1))}
 * returns at once and {@link EventLoop#time()} says an hour passed.
 *
 * <p>The reading starts at 0 nanoseconds, which corresponds to the wall-clock instant given to the
 * constructor, by default {@link #DEFAULT_START} (2000-01-01T00:00:00Z), so that tests which read dates are
 * reproducible. Safe to use from any thread; the reading never decreases.
 *
 * @since 0.1.0
 */
public final class VirtualClock implements LoopClock {

    /** The wall-clock instant at reading 0 when none is given: {@code 2000-01-01T00:00:00Z}. */
    public static final Instant DEFAULT_START = Instant.parse("2000-01-01T00:00:00Z");

    /** How long a loop waits in real time for work from unseen threads before it reports a deadlock. */
    public static final Duration DEFAULT_DEADLOCK_GRACE = Duration.ofMillis(100);

    private final Instant start;
    private final AtomicLong nanos = new AtomicLong();
    private volatile Duration autojumpThreshold = Duration.ZERO;
    private volatile Duration deadlockGrace = DEFAULT_DEADLOCK_GRACE;

    /** Creates a clock at reading 0, which stands for {@link #DEFAULT_START}. */
    public VirtualClock() {
        this(DEFAULT_START);
    }

    /**
     * Creates a clock at reading 0, which stands for the given instant.
     *
     * @param start the wall-clock instant of reading 0; must not be {@code null}
     * @throws NullPointerException if {@code start} is {@code null}
     */
    public VirtualClock(Instant start) {
        this.start = Objects.requireNonNull(start, "start must not be null");
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    /**
     * The wall-clock instant of the current reading: the start instant plus the time that has passed.
     *
     * @return the current instant
     */
    public Instant instant() {
        return start.plusNanos(nanos.get());
    }

    /**
     * The wall-clock instant of reading 0.
     *
     * @return the start instant given to the constructor, or {@link #DEFAULT_START}
     */
    public Instant startInstant() {
        return start;
    }

    /**
     * Moves time forward. A loop using this clock runs the timers that become due on its next iteration. A
     * duration too large to represent in nanoseconds saturates at the largest reading.
     *
     * @param duration how far to move; must not be {@code null} or negative ({@link Duration#ZERO} does
     *     nothing)
     * @throws NullPointerException if {@code duration} is {@code null}
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration must not be null");
        if (duration.isNegative()) {
            throw new IllegalArgumentException(
                    "duration must not be negative: got " + duration + "; time only moves forward");
        }
        long delta = saturatedNanos(duration);
        nanos.getAndUpdate(now -> now + Math.min(delta, Long.MAX_VALUE - now));
    }

    /**
     * Moves time forward to the given reading, if it is later than the current one; otherwise does nothing.
     *
     * @param nanoTime the reading to move to
     */
    public void advanceTo(long nanoTime) {
        nanos.accumulateAndGet(nanoTime, Math::max);
    }

    /**
     * Sets how long, in real time, a loop on this clock waits with nothing ready before it jumps to its next
     * timer (trio's {@code autojump_threshold}). The default, zero, jumps at once: right for code that only talks
     * to its loop. Code that talks to threads the loop cannot see (a thread of its own, an unwrapped {@code
     * CompletableFuture}) needs a threshold long enough for those threads to call back, or virtual time runs
     * ahead of them. Declared work ({@code runInExecutor}, {@code wrapFuture}) always holds the clock still until
     * it settles, whatever the threshold; a foreign stage awaited without {@code wrapFuture} holds nothing, and one
     * that another thread completes after the clock jumped while it was pending is reported to the loop's
     * exception handler.
     *
     * @param threshold the real time to wait; must not be {@code null} or negative
     * @throws NullPointerException if {@code threshold} is {@code null}
     * @throws IllegalArgumentException if {@code threshold} is negative
     */
    public void setAutojumpThreshold(Duration threshold) {
        autojumpThreshold = notNegative(threshold, "threshold");
    }

    /**
     * The threshold set with {@link #setAutojumpThreshold(Duration)}.
     *
     * @return the threshold, zero unless set
     */
    public Duration getAutojumpThreshold() {
        return autojumpThreshold;
    }

    /**
     * Sets how long, in real time, a loop on this clock waits for a call from another thread when nothing is
     * ready, no timer is set, no work is in flight and a coroutine still waits. Past it, the loop gives up with a
     * {@link VirtualTimeDeadlockException} that says where each task waits, instead of hanging.
     *
     * @param grace the real time to wait; must not be {@code null} or negative
     * @throws NullPointerException if {@code grace} is {@code null}
     * @throws IllegalArgumentException if {@code grace} is negative
     */
    public void setDeadlockGrace(Duration grace) {
        deadlockGrace = notNegative(grace, "grace");
    }

    /**
     * The grace set with {@link #setDeadlockGrace(Duration)}.
     *
     * @return the grace, {@link #DEFAULT_DEADLOCK_GRACE} unless set
     */
    public Duration getDeadlockGrace() {
        return deadlockGrace;
    }

    private static Duration notNegative(Duration value, String name) {
        Objects.requireNonNull(value, name + " must not be null");
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: got " + value);
        }
        return value;
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLarge) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Describes the clock with its current reading.
     *
     * @return for example {@code VirtualClock[PT1H, 2000-01-01T01:00:00Z]}
     */
    @Override
    public String toString() {
        long now = nanos.get();
        return "VirtualClock[" + Duration.ofNanos(now) + ", " + start.plusNanos(now) + "]";
    }
}
