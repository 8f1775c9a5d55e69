package dev.loopharness.junit;

/**
 * Fails a run of an {@link ExploreSchedules} test: the message names the run, its seed, how to replay it and the
 * decisions in which its schedule departed from the unperturbed one; the cause is the test's own failure.
 *
 * @since 0.1.0
 */
public class ExploredScheduleError extends AssertionError {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the error.
     *
     * @param message the run, its seed, how to replay it and its departures
     * @param cause the test's own failure
     */
    public ExploredScheduleError(String message, Throwable cause) {
        super(message, cause);
    }
}
