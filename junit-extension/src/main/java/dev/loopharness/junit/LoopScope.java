package dev.loopharness.junit;

/**
 * How long a loop given by {@link WithEventLoop} lives, and who shares it.
 *
 * @since 0.1.0
 */
public enum LoopScope {
    /** The configured default: configuration parameter {@code loopharness.scope}, else {@link #TEST}. */
    DEFAULT,
    /** A fresh loop for each test, closed after it: asyncio's {@code new_event_loop()} per unit of work. */
    TEST,
    /** One loop per test class, closed after its last test; nested classes get their own. */
    CLASS,
    /** One loop for the whole run, closed when the run ends: asyncio's {@code get_event_loop()}. */
    SHARED
}
