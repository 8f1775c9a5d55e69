package dev.loopharness;

/**
 * When {@link Async#wait} returns: asyncio's {@code FIRST_COMPLETED}, {@code FIRST_EXCEPTION} and {@code
 * ALL_COMPLETED}.
 *
 * @since 0.1.0
 */
public enum WaitMode {
    /** As soon as any future is done, whatever its outcome. */
    FIRST_COMPLETED,
    /**
     * As soon as any future fails with an exception other than a cancellation; if none does, when all are done.
     */
    FIRST_EXCEPTION,
    /** When every future is done. */
    ALL_COMPLETED
}
