package dev.loopharness.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loop's default executor for {@code runInExecutor(null, ...)}: created on first use, daemon threads named
 * after the loop, idle threads retired after a few seconds, shut down when the loop closes.
 */
final class ExecutorHolder {

    private static final int MAX_THREADS = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);

    private final ThreadPoolExecutor executor;

    ExecutorHolder(String loopName) {
        AtomicInteger count = new AtomicInteger();
        executor = new ThreadPoolExecutor(
                MAX_THREADS, MAX_THREADS, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), work -> {
                    Thread thread = new Thread(work, loopName + "-executor-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    ExecutorService executor() {
        return executor;
    }

    /** Refuses new work; running work finishes and the threads end. */
    void shutdown() {
        executor.shutdown();
    }

    /**
     * Waits for the threads to end.
     *
     * @param timeoutNanos how long to wait at most
     * @return whether they ended
     * @throws InterruptedException if interrupted while waiting
     */
    boolean awaitTermination(long timeoutNanos) throws InterruptedException {
        return executor.awaitTermination(timeoutNanos, TimeUnit.NANOSECONDS);
    }
}
