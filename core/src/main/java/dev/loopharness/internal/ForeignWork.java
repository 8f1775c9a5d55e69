package dev.loopharness.internal;

import dev.loopharness.EventLoopClosedException;
import dev.loopharness.ExceptionContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;

/**
 * A loop's work on other threads: callables it runs in executors ({@code runInExecutor}) and foreign stages it
 * wraps. Each outcome comes back to the loop with {@code callSoonThreadsafe}; a loop closed meanwhile drops it,
 * since nobody is left to receive it. Declared work (a callable in an executor, a stage given to {@code
 * wrapFuture}) is kept in a list while it is in flight, and virtual time holds still until that list is empty;
 * a stage adopted without being declared ({@code Async.await} of a {@code CompletableFuture}) holds nothing, and
 * is watched instead ({@link UndeclaredCompletion}). Owns the loop's default executor, made on first use.
 *
 * <p>Threads: the list of held work is safe from any thread; everything else is called by the thread that owns
 * the loop.
 */
final class ForeignWork {

    private final DefaultEventLoop loop;
    private final Set<HeldWork> held = Collections.synchronizedSet(new LinkedHashSet<>());
    private ExecutorHolder defaultExecutor;
    private volatile boolean undeclaredCompletionFails = true;

    ForeignWork(DefaultEventLoop loop) {
        this.loop = loop;
    }

    /**
     * A future of the loop for any stage: the stage itself if it is one of the loop's futures, the loop's own
     * future of one of its scheduled-executor timers, else a future that settles on the loop when the foreign
     * stage does ({@link #wrap}).
     *
     * @param declared whether the stage is declared work ({@code wrapFuture}), which holds virtual time still
     */
    @SuppressWarnings("unchecked")
    <T> FutureImpl<T> adopt(CompletionStage<T> stage, boolean declared) {
        if (stage instanceof FutureImpl) {
            FutureImpl<T> future = (FutureImpl<T>) stage;
            if (future.loop != loop) {
                throw new IllegalArgumentException(future + " belongs to " + future.loop + ", not to " + loop
                        + "; to pass a result between loops, use toCompletableFuture()");
            }
            return future;
        }
        if (stage instanceof LoopScheduledFuture && ((LoopScheduledFuture<T>) stage).loop == loop) {
            // its timer is this loop's own, not work in flight elsewhere: virtual time must be free to reach it
            return ((LoopScheduledFuture<T>) stage).onLoop();
        }
        loop.checkClosed();
        return wrap(stage, declared);
    }

    /**
     * Decides how an undeclared foreign stage completed by another thread after virtual time jumped is reported
     * to the exception handler: with an {@link IllegalStateException} (the default), or as a warning without one.
     * Any thread.
     */
    void setUndeclaredCompletionFails(boolean fails) {
        undeclaredCompletionFails = fails;
    }

    boolean undeclaredCompletionFails() {
        return undeclaredCompletionFails;
    }

    /** Whether declared work is in flight: virtual time holds still for it until it settles. */
    boolean holdsClock() {
        return !held.isEmpty();
    }

    /**
     * The declared work in flight, oldest first, one line each: what it is, where it was started (in debug mode)
     * and for how long, in real time, it has held the clock.
     */
    List<String> holdingClock() {
        List<HeldWork> snapshot;
        synchronized (held) {
            snapshot = new ArrayList<>(held);
        }
        long now = System.nanoTime();
        List<String> lines = new ArrayList<>(snapshot.size());
        for (HeldWork work : snapshot) {
            lines.add(work.describe(now));
        }
        return lines;
    }

    /** Declared work in flight: what it is, where it started, since when (real time). Identity, not value. */
    private static final class HeldWork {
        private final String what;
        private final StackTraceElement site;
        private final long sinceNanos;

        HeldWork(String what, StackTraceElement site, long sinceNanos) {
            this.what = what;
            this.site = site;
            this.sinceNanos = sinceNanos;
        }

        String describe(long now) {
            return what + (site != null ? " started at " + StackFrames.format(site) : "") + ", in flight for "
                    + Durations.seconds(now - sinceNanos) + " s of real time";
        }
    }

    /**
     * Counts declared work as in flight. Returns the token to call when it has arrived or was given up; a second
     * call does nothing.
     */
    private Runnable inFlight(String what) {
        HeldWork work = new HeldWork(what, loop.isDebug() ? CallSites.caller().orElse(null) : null, System.nanoTime());
        held.add(work);
        return () -> held.remove(work);
    }

    /**
     * Runs a callable in an executor, the default one for {@code null}; cancelling the future cancels the work
     * if it has not started.
     */
    <T> FutureImpl<T> runInExecutor(Executor executor, Callable<T> function) {
        Executor target = executor != null ? executor : defaultExecutor();
        FutureImpl<T> future = new FutureImpl<>(loop);
        FutureTask<T> work = new FutureTask<>(function);
        Runnable arrived = inFlight("runInExecutor(" + CallbackNames.describe(function) + ")");
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

    /**
     * A future of the loop that settles when a foreign stage does; cancelling it cancels the stage if it can.
     * Declared ({@code wrapFuture}), the stage holds virtual time still until it settles; else it is watched for
     * a completion by another thread after virtual time moved.
     */
    <T> FutureImpl<T> wrap(CompletionStage<T> stage, boolean declared) {
        FutureImpl<T> wrapper = new FutureImpl<>(loop);
        Runnable arrived = declared ? inFlight("wrapFuture(" + stage.getClass().getSimpleName() + ")") : () -> {};
        UndeclaredCompletion watch = declared ? null : UndeclaredCompletion.watch(loop, stage);
        wrapper.whenDone(() -> {
            arrived.run();
            if (wrapper.isCancelled()) {
                cancelForeign(stage);
            }
        });
        stage.whenComplete((value, failure) -> {
            if (watch != null) {
                watch.completed();
            }
            settleFromElsewhere(wrapper, value, unwrap(failure));
        });
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
