package dev.loopharness.internal;

import dev.loopharness.EventLoopClosedException;
import dev.loopharness.ExceptionContext;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loop's work on other threads: callables it runs in executors ({@code runInExecutor}) and foreign stages it
 * wraps. Each outcome comes back to the loop with {@code callSoonThreadsafe}; a loop closed meanwhile drops it,
 * since nobody is left to receive it. What is in flight is counted so that virtual time can hold still until it
 * arrives. Owns the loop's default executor, made on first use.
 *
 * <p>Threads: the counters are safe from any thread; everything else is called by the thread that owns the loop.
 */
final class ForeignWork {

    private final DefaultEventLoop loop;
    private final AtomicInteger inExecutors = new AtomicInteger();
    private final AtomicInteger inStages = new AtomicInteger();
    private ExecutorHolder defaultExecutor;

    ForeignWork(DefaultEventLoop loop) {
        this.loop = loop;
    }

    /** Whether a callable the loop waits for runs in an executor: virtual time holds still for it. */
    boolean inExecutors() {
        return inExecutors.get() > 0;
    }

    /** Whether a wrapped foreign stage is pending: virtual time holds still for it, for a while. */
    boolean inStages() {
        return inStages.get() > 0;
    }

    /**
     * Counts one piece of work as in flight. Returns the token to call when it has arrived or was given up; a
     * second call does nothing.
     *
     * @param inExecutor whether it runs in an executor (held for) rather than a wrapped stage (held for a while)
     */
    private Runnable inFlight(boolean inExecutor) {
        AtomicInteger counter = inExecutor ? inExecutors : inStages;
        counter.incrementAndGet();
        AtomicBoolean arrived = new AtomicBoolean();
        return () -> {
            if (arrived.compareAndSet(false, true)) {
                counter.decrementAndGet();
            }
        };
    }

    /**
     * Runs a callable in an executor, the default one for {@code null}; cancelling the future cancels the work
     * if it has not started.
     */
    <T> FutureImpl<T> runInExecutor(Executor executor, Callable<T> function) {
        Executor target = executor != null ? executor : defaultExecutor();
        FutureImpl<T> future = new FutureImpl<>(loop);
        FutureTask<T> work = new FutureTask<>(function);
        Runnable arrived = inFlight(true);
        future.whenDone(() -> {
            arrived.run();
            if (future.isCancelled()) {
                work.cancel(false);
            }
        });
        try {
            target.execute(() -> {
                work.run();
                deliver(future, work);
            });
        } catch (RuntimeException rejected) {
            arrived.run();
            throw rejected;
        }
        return future;
    }

    /** Hands the outcome of work that ran to its future, on the loop; a closed loop drops it. */
    private <T> void deliver(FutureImpl<T> future, FutureTask<T> work) {
        if (loop.isClosed()) {
            return;
        }
        T value = null;
        Throwable failure = null;
        try {
            value = work.get();
        } catch (ExecutionException e) {
            failure = e.getCause();
        } catch (CancellationException | InterruptedException e) {
            failure = e;
        }
        settleFromElsewhere(future, value, failure);
    }

    /** A future of the loop that settles when a foreign stage does; cancelling it cancels the stage if it can. */
    <T> FutureImpl<T> wrap(CompletionStage<T> stage) {
        FutureImpl<T> wrapper = new FutureImpl<>(loop);
        Runnable arrived = inFlight(false);
        wrapper.whenDone(() -> {
            arrived.run();
            if (wrapper.isCancelled()) {
                cancelForeign(stage);
            }
        });
        stage.whenComplete((value, failure) -> settleFromElsewhere(wrapper, value, unwrap(failure)));
        return wrapper;
    }

    /**
     * Shuts the default executor down and waits for its threads to end: asyncio's {@code
     * shutdown_default_executor}. Past the timeout, the exception handler is told.
     */
    void shutdownDefaultExecutor(long timeoutNanos) {
        ExecutorHolder holder = defaultExecutor;
        if (holder == null) {
            return;
        }
        holder.shutdown();
        try {
            if (!holder.awaitTermination(timeoutNanos)) {
                loop.callExceptionHandler(ExceptionContext.of(
                        "The default executor did not finish joining its threads within "
                                + Durations.seconds(timeoutNanos) + " seconds",
                        null));
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Refuses new work to the default executor, without waiting: the loop is closing. */
    void closeDefaultExecutor() {
        if (defaultExecutor != null) {
            defaultExecutor.shutdown();
        }
    }

    private Executor defaultExecutor() {
        if (defaultExecutor == null) {
            defaultExecutor = new ExecutorHolder(loop.name());
        }
        return defaultExecutor.executor();
    }

    /** Settles a future of the loop from another thread; a loop closed meanwhile drops the outcome. */
    private <T> void settleFromElsewhere(FutureImpl<T> future, T value, Throwable failure) {
        try {
            loop.callSoonThreadsafe(() -> {
                if (!future.isDone()) {
                    future.settleOutcome(value, failure);
                }
            });
        } catch (EventLoopClosedException closed) {
            // nobody is left to receive the outcome
        }
    }

    private static void cancelForeign(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(false);
        } catch (UnsupportedOperationException cannot) {
            // a stage that cannot be cancelled keeps running; its outcome is ignored
        }
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
