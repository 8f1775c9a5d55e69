package dev.loopharness.junit;

/**
 * Fails a test when exceptions were raised in callbacks of a test's loop, or a task's exception was never retrieved; each is attached as suppressed.
 *
 * @since 0.1.0
 */
public class LoopCallbackError extends AssertionError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param message what happened and what to do
     */
    public LoopCallbackError(String message) {
        super(message);
    }
}
