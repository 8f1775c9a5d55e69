package dev.loopharness.internal;

/**
 * The states of a loop, and the only changes between them ({@link #canBecome}), which {@code
 * DefaultEventLoop.transition} enforces:
 *
 * <pre>
 *                 run                  stop()
 *   NOT_RUNNING ------&gt; RUNNING ----------------&gt; STOPPING
 *     |   |  ^             |                         |
 *     |   |  +-------------+ the run throws          |
 *     |   |  +---------------------------------------+ the batch of the iteration is done
 *     |   +----------------------------------------&gt; STOPPING   run after a stop() that came before it:
 *     |                                                         one iteration
 *     +--- close() ---&gt; CLOSED (final)
 * </pre>
 */
enum LoopState {
    NOT_RUNNING,
    RUNNING,
    STOPPING,
    CLOSED;

    boolean isRunning() {
        return this == RUNNING || this == STOPPING;
    }

    /** Whether the diagram above has a change from this state to {@code next}. */
    boolean canBecome(LoopState next) {
        switch (this) {
            case NOT_RUNNING:
                return next == RUNNING || next == STOPPING || next == CLOSED;
            case RUNNING:
                return next == STOPPING || next == NOT_RUNNING;
            case STOPPING:
                return next == NOT_RUNNING;
            default:
                return false;
        }
    }
}
