package dev.loopharness.samples.report;

/** A failure reproduced as it really happens, with its fix beside it. */
public interface Reproduction {

    /**
     * Runs the failing half, then the fix, and says what happened.
     *
     * @return the outcome
     */
    Outcome run();
}
