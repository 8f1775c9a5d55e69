package dev.loopharness;

/**
 * A timeout scope opened by {@link Async#timeout} or {@link Async#timeoutAt}: asyncio's {@code Timeout}. Its body
 * runs in the current task; at the deadline the task is cancelled, and the scope turns that cancellation into a
 * {@link java.util.concurrent.TimeoutException} when the body ends.
 *
 * <p>Use it only inside its body, on the body's coroutine.
 *
 * @since 0.1.0
 */
public interface Timeout {

    /**
     * The deadline, in loop time ({@link EventLoop#time()}'s scale).
     *
     * @return the deadline in nanoseconds, or {@link Long#MAX_VALUE} if the scope has none
     * @since 0.1.0
     */
    long when();

    /**
     * Moves the deadline. A deadline that has passed already expires the scope at the loop's next iteration.
     *
     * @param deadlineNanos the new deadline in loop time; {@link Long#MAX_VALUE} for none
     * @throws IllegalStateException if the scope has expired or its body has ended ({@code "Cannot change state
     *     of expired Timeout"}, asyncio's wording)
     * @since 0.1.0
     */
    void reschedule(long deadlineNanos);

    /**
     * Tells whether the deadline passed while the body ran, so that the scope cancelled the task.
     *
     * @return {@code true} once the scope has expired
     * @since 0.1.0
     */
    boolean expired();

    /**
     * The body of a timeout scope.
     *
     * @param <T> the type of its result
     * @since 0.1.0
     */
    @FunctionalInterface
    interface Body<T> {

        /**
         * Runs the body, in the current task.
         *
         * @param scope the scope, to read or move its deadline
         * @return the result, may be {@code null}
         * @throws Exception any failure, which goes on as it is
         * @since 0.1.0
         */
        T run(Timeout scope) throws Exception;
    }
}
