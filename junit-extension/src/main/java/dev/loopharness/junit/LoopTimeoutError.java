package dev.loopharness.junit;

/**
 * Fails a test when a test or lifecycle method ran past its timeout; the message lists every pending task, where it waits, and every timer.
 *
 * @since 0.1.0
 */
public class LoopTimeoutError extends AssertionError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param message what happened and what to do
     */
    public LoopTimeoutError(String message) {
        super(message);
    }
}
