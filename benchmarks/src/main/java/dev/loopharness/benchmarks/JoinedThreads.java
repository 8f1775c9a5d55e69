package dev.loopharness.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;

/**
 * A {@link ThreadFactory} that keeps the threads it makes, so that whoever shuts their executor down can join
 * them: an executor's termination signal comes from its worker just before that worker returns, and a
 * lifecycle figure should include the thread's end.
 */
final class JoinedThreads implements ThreadFactory {

    private static final long JOIN_MILLIS = 10_000;

    private final ThreadFactory delegate;
    private final List<Thread> threads = new ArrayList<>(1);

    JoinedThreads(ThreadFactory delegate) {
        this.delegate = delegate;
    }

    /** A factory of daemon threads with the given name, as the benchmarks' own consumer threads are made. */
    static JoinedThreads daemon(String name) {
        return new JoinedThreads(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public Thread newThread(Runnable r) {
        Thread thread = delegate.newThread(r);
        synchronized (threads) {
            threads.add(thread);
        }
        return thread;
    }

    /** Joins every thread made so far; one still alive after 10 s fails the benchmark rather than leaking. */
    void joinAll() throws InterruptedException {
        List<Thread> made;
        synchronized (threads) {
            made = new ArrayList<>(threads);
        }
        for (Thread thread : made) {
            thread.join(JOIN_MILLIS);
            if (thread.isAlive()) {
                throw new IllegalStateException(
                        "thread " + thread.getName() + " is still alive " + JOIN_MILLIS + " ms after its shutdown");
            }
        }
    }
}
