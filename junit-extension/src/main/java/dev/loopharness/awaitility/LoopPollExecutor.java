package dev.loopharness.awaitility;

import dev.loopharness.EventLoop;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Awaitility's poll executor for a wait on another thread: every evaluation runs as a callback on the loop.
 * Shutting it down (Awaitility does not, for an executor it was given) leaves the loop alone, and cancelling an
 * evaluation never interrupts the loop's thread.
 */
final class LoopPollExecutor extends AbstractExecutorService {

    private final EventLoop loop;
    private volatile boolean shutdown;

    LoopPollExecutor(EventLoop loop) {
        this.loop = loop;
    }

    @Override
    public void execute(Runnable command) {
        loop.execute(command);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
        return new FutureTask<>(callable) {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                return super.cancel(false);
            }
        };
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }
}
