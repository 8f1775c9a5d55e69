package dev.loopharness;

/**
 * How one future of {@link Async#gatherSettled} ended: a value, an exception, or a cancellation. asyncio's {@code
 * gather(..., return_exceptions=True)} puts values and exceptions in one list; this is its typed counterpart.
 *
 * @param <T> the type of the value
 * @since 0.1.0
 */
public interface Outcome<T> {

    /**
     * Tells whether the future completed with a value.
     *
     * @return {@code true} for a value, {@code false} for an exception or a cancellation
     * @since 0.1.0
     */
    boolean isSuccess();

    /**
     * Tells whether the future was cancelled.
     *
     * @return {@code true} for a cancellation
     * @since 0.1.0
     */
    boolean isCancelled();

    /**
     * The value.
     *
     * @return the value, may be {@code null}
     * @throws IllegalStateException if the future failed or was cancelled; the message names the exception
     * @since 0.1.0
     */
    T value();

    /**
     * The exception: the failure, or for a cancellation the {@link java.util.concurrent.CancellationException}.
     *
     * @return the exception, or {@code null} for a value
     * @since 0.1.0
     */
    Throwable exception();
}
