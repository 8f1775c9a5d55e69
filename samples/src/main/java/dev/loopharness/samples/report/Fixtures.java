package dev.loopharness.samples.report;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** Runs fixture classes through the JUnit engine, and code on threads of its own. */
public final class Fixtures {

    private Fixtures() {}

    /**
     * Runs a fixture class through the Jupiter engine on a thread of its own, so that a default loop it closes is
     * not the caller's.
     *
     * @param fixture the class
     * @return the test events
     */
    public static Events run(Class<?> fixture) {
        return onThread(
                "junit-" + fixture.getSimpleName(),
                () -> EngineTestKit.engine("junit-jupiter")
                        .selectors(selectClass(fixture))
                        .execute()
                        .testEvents());
    }

    /**
     * The failures of a run's tests, by display name, in the order they finished.
     *
     * @param events the test events
     * @return display name to exception
     */
    public static Map<String, Throwable> failures(Events events) {
        Map<String, Throwable> failures = new LinkedHashMap<>();
        for (Event event : events.failed().list()) {
            Throwable thrown = event.getPayload(TestExecutionResult.class)
                    .flatMap(TestExecutionResult::getThrowable)
                    .orElseThrow();
            failures.put(event.getTestDescriptor().getDisplayName(), thrown);
        }
        return failures;
    }

    /**
     * Calls a function on a new thread, waits for it, and returns its result or throws what it threw.
     *
     * @param <T> the result type
     * @param name the thread's name
     * @param function the function
     * @return its result
     */
    public static <T> T onThread(String name, Callable<T> function) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(
                () -> {
                    try {
                        result.set(function.call());
                    } catch (Throwable thrown) {
                        failure.set(thrown);
                    }
                },
                name);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for thread " + name, interrupted);
        }
        Throwable thrown = failure.get();
        if (thrown instanceof RuntimeException) {
            throw (RuntimeException) thrown;
        }
        if (thrown instanceof Error) {
            throw (Error) thrown;
        }
        if (thrown != null) {
            throw new IllegalStateException(thrown);
        }
        return result.get();
    }
}
