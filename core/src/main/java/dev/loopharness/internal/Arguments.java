package dev.loopharness.internal;

import java.time.Duration;

/** Checks of arguments, with messages that name the argument, its value and what is allowed. */
public final class Arguments {

    private Arguments() {}

    /**
     * Refuses {@code null}.
     *
     * @param <T> the argument's type
     * @param value the argument
     * @param name the parameter's name
     * @return the argument
     */
    public static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new NullPointerException(name + " must not be null");
        }
        return value;
    }

    /**
     * Converts a duration to nanoseconds, saturating at {@link Long#MAX_VALUE} and {@link Long#MIN_VALUE}
     * instead of overflowing.
     *
     * @param duration the duration; not {@code null}
     * @return the nanoseconds
     */
    public static long saturatedNanos(Duration duration) {
        if (duration.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L) {
            return Long.MAX_VALUE;
        }
        if (duration.getSeconds() <= Long.MIN_VALUE / 1_000_000_000L) {
            return Long.MIN_VALUE;
        }
        return duration.toNanos();
    }

    /**
     * Adds without overflowing: the sum, or the extreme it would pass.
     *
     * @param a one term
     * @param b the other
     * @return the saturated sum
     */
    public static long saturatedAdd(long a, long b) {
        long sum = a + b;
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }

    /**
     * Refuses a duration that is zero or negative.
     *
     * @param value the duration
     * @param name the parameter's name
     * @return the duration
     */
    public static Duration positive(Duration value, String name) {
        notNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive: got " + value);
        }
        return value;
    }
}
