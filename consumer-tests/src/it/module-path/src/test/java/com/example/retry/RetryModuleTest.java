package com.example.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.example.retry.testing.RetryTest;
import dev.loopharness.EventLoop;
import dev.loopharness.junit.ClockMode;
import dev.loopharness.junit.ExploreSchedules;
import dev.loopharness.junit.WithEventLoop;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/** Patched into the module com.example.retry, with both loopharness artifacts on the module path. */
class RetryModuleTest {

    @RetryTest
    void backsOffInLoopTime(EventLoop loop) throws Exception {
        long start = loop.time();
        AtomicInteger calls = new AtomicInteger();
        String result = Retry.withBackoff(5, Duration.ofSeconds(10), () -> {
            if (calls.incrementAndGet() < 4) {
                throw new IOException("not yet");
            }
            return "done";
        });

        assertEquals("done", result);
        assertEquals(Duration.ofSeconds(10 + 20 + 40), Duration.ofNanos(loop.time() - start));
    }

    @RetryTest
    void rethrowsTheLastFailure() {
        IOException failure = assertThrows(IOException.class, () -> Retry.withBackoff(2, Duration.ofHours(1), () -> {
            throw new IOException("down");
        }));
        assertEquals("down", failure.getMessage());
    }

    @RetryTest
    void runsOnTheModulePath() {
        assertEquals("com.example.retry", getClass().getModule().getName());
        assertEquals("dev.loopharness.core", EventLoop.class.getModule().getName());
        assertEquals("dev.loopharness.junit", WithEventLoop.class.getModule().getName());
    }

    /** JUnit instantiates the explorer, an extension of the module's unexported implementation package. */
    @ExploreSchedules(runs = 3)
    @WithEventLoop(clock = ClockMode.VIRTUAL)
    void exploresSchedulesOnTheModulePath(EventLoop loop) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String result = Retry.withBackoff(3, Duration.ofSeconds(1), () -> {
            if (calls.incrementAndGet() < 2) {
                throw new IOException("not yet");
            }
            return "done";
        });
        assertEquals("done", result);
    }

    @RetryTest
    void theLibraryModulesExportTheirApiOnly() {
        ModuleDescriptor junit = WithEventLoop.class.getModule().getDescriptor();
        assertFalse(junit.isAutomatic(), "dev.loopharness.junit is a named module, not an automatic one");
        assertEquals(
                Set.of("dev.loopharness.junit", "dev.loopharness.awaitility", "dev.loopharness.mockito"),
                exported(junit));
        assertEquals(
                Set.of("dev.loopharness", "dev.loopharness.spi"),
                exported(EventLoop.class.getModule().getDescriptor()));
        assertFalse(EventLoop.class.getModule().isExported("dev.loopharness.internal", getClass().getModule()));
    }

    /** The packages a module exports to everyone. */
    private static Set<String> exported(ModuleDescriptor module) {
        return module.exports().stream()
                .filter(export -> !export.isQualified())
                .map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toSet());
    }
}
