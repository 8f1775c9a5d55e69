package dev.loopharness.junit.internal;

import dev.loopharness.junit.LeakPolicy;

/**
 * What a SHARED loop holds as the run ends, reported per the run's leak policy ({@code loopharness.leaks}): the
 * tasks, timers and ready callbacks no test owns (posted from other threads while no test ran on the loop, or
 * armed by such work). No test or class is left to fail, so under {@code FAIL} the error fails the run's root
 * container (JUnit Jupiter's engine), whose failure every launcher shows; under {@code WARN} it is logged. Work
 * owned by a test was reported to that test already. Posts that never reached the loop's queues (after its last
 * run) are only logged as the close drops them: the harness's own cancellation of a test's leftovers can be among
 * them.
 */
final class RunEndCheck {

    private final LeakPolicy policy;
    private final String rootTag;
    private final String loopName;

    /**
     * @param policy the run's leak policy
     * @param rootTag the unique id of the run's root context, whose class-less work is the scope's
     * @param loopName the loop as messages name it
     */
    RunEndCheck(LeakPolicy policy, String rootTag, String loopName) {
        this.policy = policy;
        this.rootTag = rootTag;
        this.loopName = loopName;
    }

    /** Before the loop closes: its pending work and errors that no test owns. */
    AssertionError beforeClose(HarnessLoop harness) {
        HarnessLoop.LeakCheck check = harness.checkScope(rootTag, loopName);
        AssertionError failure = check.callbackError();
        if (check.leaked()) {
            String message =
                    Messages.runLeaked(loopName, check.tasks(), check.timers(), check.callbacks(), check.now());
            failure = LoopExtension.handleLeaks(policy, harness, check, message, failure);
        }
        return failure;
    }
}
