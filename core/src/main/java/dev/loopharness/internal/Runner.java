package dev.loopharness.internal;

import dev.loopharness.Coroutine;
import dev.loopharness.ExceptionContext;
import dev.loopharness.LoopClock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * asyncio's runner: a fresh loop for one coroutine, then the shutdown in {@code Runner.close}'s order: cancel
 * what is left, run until it settles, report what failed on the way, shut the default executor down and wait
 * for it, close.
 */
public final class Runner {

    /** How long the shutdown waits for the default executor's threads, as asyncio's 300 seconds. */
    private static final long EXECUTOR_SHUTDOWN_NANOS = TimeUnit.SECONDS.toNanos(300);

    private Runner() {}

    /**
     * Runs a coroutine on a fresh loop and shuts the loop down.
     *
     * @param <T> the type of the result
     * @param clock the loop's clock
     * @param main the coroutine
     * @return its result
     */
    public static <T> T run(LoopClock clock, Coroutine<T> main) {
        Arguments.notNull(clock, "clock");
        Arguments.notNull(main, "main");
        DefaultEventLoop running = CurrentLoop.running();
        if (running != null) {
            throw new IllegalStateException("EventLoops.run() cannot be called from a running event loop (" + running
                    + "); inside a coroutine use Async.await(...) or Async.createTask(...)"
                    + running.ownerGuard.hintLine());
        }
        DefaultEventLoop loop = new DefaultEventLoop(clock);
        try {
            return loop.runUntilComplete(main);
        } finally {
            shutdown(loop);
        }
    }

    /**
     * Shuts a loop down that is not running: cancels its tasks and runs it until they settle, reports their
     * failures other than cancellation, shuts the default executor down and waits for it, closes the loop.
     * Closes the loop even if a step fails.
     *
     * @param loop the loop; a closed loop is left as it is
     */
    public static void shutdown(DefaultEventLoop loop) {
        shutdown(loop, DefaultEventLoop::close);
    }

    /**
     * Shuts a guarded loop down as {@link #shutdown(DefaultEventLoop)} does, on behalf of its owner: the guard is
     * lifted first, and the record of who closed the loop names the owner ({@link
     * LoopHooks#shutdownAsOwner(String)}).
     *
     * @param loop the loop; a closed loop is left as it is
     * @param ownerDescription who owns the loop, as given to {@link LoopHooks#guard(String)}
     */
    static void shutdownAsOwner(DefaultEventLoop loop, String ownerDescription) {
        loop.ownerGuard.guard(null);
        shutdown(loop, closing -> closing.closeAsOwner(ownerDescription));
    }

    private static void shutdown(DefaultEventLoop loop, Consumer<DefaultEventLoop> close) {
        if (loop.isClosed()) {
            return;
        }
        try {
            cancelAllTasks(loop);
            loop.foreign.shutdownDefaultExecutor(EXECUTOR_SHUTDOWN_NANOS);
        } finally {
            close.accept(loop);
        }
    }

    private static void cancelAllTasks(DefaultEventLoop loop) {
        List<TaskImpl<?>> pending = loop.tasks.pending();
        if (pending.isEmpty()) {
            return;
        }
        for (TaskImpl<?> task : pending) {
            task.requestCancel(null);
        }
        loop.runUntilComplete(Gathering.allSettled(loop, pending));
        for (TaskImpl<?> task : pending) {
            if (!task.isCancelled() && task.failureOrCancellation() != null) {
                loop.callExceptionHandler(
                        ExceptionContext.of("Unhandled exception during EventLoops.run() shutdown", task.exception())
                                .withTask(task));
            }
        }
    }
}
