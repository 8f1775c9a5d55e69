package dev.loopharness.junit;

/**
 * What happens to tasks and timers a test leaves pending on its loop when it ends. Whatever the policy,
 * exceptions raised in callbacks and task exceptions nobody retrieved fail the test.
 *
 * @since 0.1.0
 */
public enum LeakPolicy {
    /** The configured default: configuration parameter {@code loopharness.leaks}, else {@link #FAIL}. */
    DEFAULT,
    /** The test fails with a {@link LeakedWorkError} that lists what it left; the leftovers are cancelled. */
    FAIL,
    /** A warning lists what the test left, through {@link System.Logger}; the leftovers keep running. */
    WARN,
    /** The leftovers are cancelled silently. */
    CANCEL
}
