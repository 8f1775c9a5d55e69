package dev.loopharness.junit;

/**
 * Fails a test when a test left tasks or timers pending on its loop, and the leak policy is {@link LeakPolicy#FAIL}.
 *
 * @since 0.1.0
 */
public class LeakedWorkError extends AssertionError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param message what happened and what to do
     */
    public LeakedWorkError(String message) {
        super(message);
    }
}
