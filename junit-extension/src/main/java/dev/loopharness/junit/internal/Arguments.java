package dev.loopharness.junit.internal;

import java.time.Duration;

/**
 * Checks of arguments for the extension and its bridges, with messages that name the argument, its value and
 * what is allowed, and the saturating arithmetic of deadlines. Not an API: public only for the bridge packages of
 * this module, which does not export this package.
 */
public final class Arguments {

    private Arguments() {}

    /**
     * Refuses {@code null}.
     *
     * @param <T> the argument's type
     * @param value the argument
     * @param name the parameter's name
     * @return the argument
     * @throws NullPointerException {@code "<name> must not be null"}
     */
    public static <T> T notNull(T value, String name) {
        if (value == null) {
            throw new NullPointerException(name + " must not be null");
        }
        return value;
    }

    /**
     * Refuses a duration that is {@code null}, zero or negative.
     *
     * @param value the duration
     * @param name the parameter's name
     * @return the duration
     * @throws IllegalArgumentException {@code "<name> must be positive: got <value>"}
     */
    public static Duration positive(Duration value, String name) {
        notNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive: got " + value);
        }
        return value;
    }

    /**
     * A duration in nanoseconds, saturating at the extremes of a {@code long} instead of overflowing.
     *
     * @param duration the duration; not {@code null}
     * @return the nanoseconds
     */
    public static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException overflow) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /**
     * A sum that saturates at the extreme it would pass instead of overflowing.
     *
     * @param a one term
     * @param b the other
     * @return the saturated sum
     */
    public static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }
}
