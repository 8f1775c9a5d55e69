package dev.loopharness;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a loop with {@code runForever()} on a thread of its own, for tests that block on the loop's work from the
 * test's thread. Closing it stops the loop, waits for the thread, and fails if the loop failed.
 */
final class LoopOnThread implements AutoCloseable {

    private final EventLoop loop;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private LoopOnThread(EventLoop loop) {
        this.loop = loop;
        this.thread = new Thread(this::run, "loop-on-thread");
    }

    /** What runs on the test's thread while the loop runs on its own. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body} while the loop runs on a thread of its own, then stops the loop.
     *
     * @param loop the loop, not running
     * @param body the test's part
     * @throws Exception what the body throws
     */
    static void whileRunning(EventLoop loop, Body body) throws Exception {
        LoopOnThread running = start(loop);
        try {
            body.run();
        } finally {
            running.close();
        }
    }

    static LoopOnThread start(EventLoop loop) {
        LoopOnThread running = new LoopOnThread(loop);
        running.thread.start();
        return running;
    }

    private void run() {
        try {
            loop.runForever();
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    @Override
    public void close() {
        loop.callSoonThreadsafe(loop::stop);
        try {
            thread.join();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while the loop stopped", interrupted);
        }
        if (failure.get() != null) {
            throw new AssertionError("the loop failed on its thread", failure.get());
        }
    }
}
