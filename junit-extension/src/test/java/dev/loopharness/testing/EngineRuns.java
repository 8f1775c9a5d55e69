package dev.loopharness.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Runs fixture classes through the Jupiter engine and reads what happened. */
public final class EngineRuns {

    private EngineRuns() {}

    /**
     * Runs one fixture class.
     *
     * @param fixture the class
     * @return its test events
     */
    public static Events run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(fixture))
                .execute()
                .testEvents();
    }

    /**
     * The exception of the first failed test.
     *
     * @param events the events of a run
     * @return the exception
     */
    public static Throwable failureOf(Events events) {
        return events.failed().stream()
                .findFirst()
                .orElseThrow(() -> new AssertionError("no test failed"))
                .getPayload(TestExecutionResult.class)
                .flatMap(TestExecutionResult::getThrowable)
                .orElseThrow();
    }
}
