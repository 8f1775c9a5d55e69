package dev.loopharness.junit.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Times tests in real time: one daemon thread for the whole run, kept in the root store so that JUnit shuts it
 * down when the run ends.
 */
final class Watchdog implements AutoCloseable {

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, work -> {
        Thread thread = new Thread(work, "loopharness-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    Watchdog() {
        timer.setRemoveOnCancelPolicy(true);
    }

    ScheduledFuture<?> after(Duration delay, Runnable action) {
        return timer.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
