package dev.loopharness.junit;

/**
 * Which clock a loop given by {@link WithEventLoop} runs on.
 *
 * @since 0.1.0
 */
public enum ClockMode {
    /** The configured default: configuration parameter {@code loopharness.clock}, else {@link #REAL}. */
    DEFAULT,
    /** The real, monotonic clock. */
    REAL,
    /**
     * A {@link dev.loopharness.VirtualClock}: sleeps and timers take no real time, and a deadlock fails the test
     * at once.
     */
    VIRTUAL
}
