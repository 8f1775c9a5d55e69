/**
 * A user's module with test support of its own: {@code @RetryTest} builds on {@code @WithEventLoop}, so the
 * module requires loopharness-junit, which the module path then holds as the automatic module
 * {@code dev.loopharness.junit} (the module core's qualified export is addressed to).
 */
module com.example.retry {
    requires dev.loopharness.core;
    requires transitive dev.loopharness.junit;
    requires transitive org.junit.jupiter.api;

    exports com.example.retry;
    exports com.example.retry.testing;
}
