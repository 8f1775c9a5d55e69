package com.example.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.example.retry.testing.RetryTest;
import dev.loopharness.EventLoop;
import dev.loopharness.junit.WithEventLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

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
}
