/**
 * A user's module with test support of its own: {@code @RetryTest} builds on {@code @WithEventLoop}, so the
 * module requires loopharness-junit, the named module {@code dev.loopharness.junit}, which requires core's
 * API and SPI and nothing of core's implementation.
 */
module com.example.retry {
    requires dev.loopharness.core;
    requires transitive dev.loopharness.junit;
    requires transitive org.junit.jupiter.api;

    exports com.example.retry;
    exports com.example.retry.testing;
}
