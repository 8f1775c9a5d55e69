package dev.loopharness.internal;

import dev.loopharness.EventLoopClosedException;
import dev.loopharness.ExceptionContext;
import dev.loopharness.TimerHandle;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A task of a {@link LoopScheduledExecutor}: its schedule in loop time, its timer on the loop, its outcome. It is
 * a {@link CompletableFuture}, so other threads can block on it and chain on it, and a coroutine can {@code
 * Async.await} it; the loop adopts it through {@link #onLoop()} rather than as foreign work, since its timer is
 * the loop's own and virtual time must be free to reach it.
 *
 * <p>Threads: the task runs, and its timer is set and cancelled, only on the loop's thread. Its outcome is the
 * {@code CompletableFuture}'s, settled once from any thread (the loop that ran it, or whoever cancels it); {@link
 * #settled()} then does the bookkeeping wherever that happened. {@code trigger} and {@code running} are volatile
 * for readers on other threads ({@code getDelay}, {@code shutdownNow}).
 */
final class LoopScheduledFuture<V> extends CompletableFuture<V> implements RunnableScheduledFuture<V> {

    final DefaultEventLoop loop;
    private final LoopScheduledExecutor executor;
    private final Object command;
    private final Callable<V> callable;

    /** ScheduledThreadPoolExecutor's encoding: 0 runs once; {@code p > 0} at a fixed rate; {@code p < 0} with a fixed delay of {@code -p}. */
    private final long period;

    private final long sequence;

    /** Whether a failure goes to the loop's exception handler too: for {@code execute()}, whose future nobody holds. */
    private final boolean reportFailure;

    /** When the task is due next, in loop nanoseconds. */
    private volatile long trigger;

    private volatile boolean running;

    /** The timer that will run the task; loop thread only. */
    private TimerHandle timer;

    LoopScheduledFuture(
            LoopScheduledExecutor executor,
            Object command,
            Callable<V> callable,
            long trigger,
            long period,
            long sequence,
            boolean reportFailure) {
        this.loop = executor.loop();
        this.executor = executor;
        this.command = command;
        this.callable = callable;
        this.trigger = trigger;
        this.period = period;
        this.sequence = sequence;
        this.reportFailure = reportFailure;
        super.whenComplete((value, failure) -> settled());
    }

    // ---- the loop's side -----------------------------------------------------------------------------------

    /** Sets the timer for the next run, unless the task is done already. Loop thread only. */
    void arm() {
        if (!isDone()) {
            timer = loop.callAt(trigger, this);
        }
    }

    /**
     * Runs the task now: on the loop's thread at once (this is what its timer calls), from elsewhere as soon as
     * the loop can. Running it ahead of its time drops the timer that was waiting for it. A task that is done,
     * cancelled ones included (such as those {@code shutdownNow()} returns), does nothing.
     */
    @Override
    public void run() {
        if (LoopThreads.isLoopThread(loop)) {
            fire();
        } else if (!isDone()) {
            try {
                loop.callSoonThreadsafe(this::fire);
            } catch (EventLoopClosedException closed) {
                // closing the loop cancelled this task
            }
        }
    }

    private void fire() {
        if (isDone()) {
            return;
        }
        cancelTimer();
        V value;
        running = true;
        try {
            value = callable.call();
        } catch (Throwable failure) {
            running = false;
            failed(failure);
            return;
        }
        running = false;
        if (period == 0) {
            complete(value);
        } else if (!isDone()) {
            runAgain();
        }
    }

    private void failed(Throwable failure) {
        completeExceptionally(failure);
        if (reportFailure) {
            loop.callExceptionHandler(
                    ExceptionContext.of("Exception in " + describe() + " run by execute() of " + executor, failure));
        }
        Throwables.rethrowIfFatal(failure);
    }

    /** Schedules the next run of a periodic task, or ends it if its executor was shut down meanwhile. */
    private void runAgain() {
        if (executor.isShutdown()) {
            cancel("Periodic " + describe() + " was cancelled because " + executor + " was shut down", null);
            return;
        }
        trigger = period > 0 ? Arguments.saturatedAdd(trigger, period) : Arguments.saturatedAdd(loop.time(), -period);
        arm();
    }

    /** Bookkeeping once the outcome is settled, by whatever path and on whatever thread. */
    private void settled() {
        stopTimer();
        executor.taskDone(this);
    }

    private void stopTimer() {
        if (LoopThreads.isLoopThread(loop)) {
            cancelTimer();
        } else if (!loop.isClosed()) {
            try {
                loop.callSoonThreadsafe(this::cancelTimer);
            } catch (EventLoopClosedException closed) {
                // the closed loop dropped its timers
            }
        }
    }

    private void cancelTimer() {
        TimerHandle pending = timer;
        if (pending != null) {
            timer = null;
            pending.cancel();
        }
    }

    /**
     * A future of the loop that settles like this one: how {@code Async.await} and {@code runUntilComplete}
     * take it. Cancelling that future cancels the task, as cancelling a coroutine cancels what it awaits.
     *
     * @return a new future of the loop
     */
    FutureImpl<V> onLoop() {
        FutureImpl<V> mirror = new FutureImpl<>(loop);
        mirror.whenDone(() -> {
            if (mirror.isCancelled()) {
                cancel(false);
            }
        });
        super.whenComplete((value, failure) -> settleOnLoop(mirror, value, failure));
        return mirror;
    }

    private void settleOnLoop(FutureImpl<V> mirror, V value, Throwable failure) {
        Runnable settle = () -> {
            if (!mirror.isDone()) {
                mirror.settleOutcome(value, failure);
            }
        };
        if (LoopThreads.isLoopThread(loop)) {
            settle.run();
        } else if (!loop.isClosed()) {
            try {
                loop.callSoonThreadsafe(settle);
            } catch (EventLoopClosedException closed) {
                // nobody can await on a closed loop
            }
        }
    }

    // ---- Future and ScheduledFuture -------------------------------------------------------------------------

    /**
     * Cancels the task: it will not run again, and its timer is dropped. The flag is ignored: a task runs on
     * the loop's thread, which is not interrupted.
     *
     * @return {@code true} if this call cancelled it; {@code false} if it was done already
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return cancel(describeFirst() + " was cancelled", null);
    }

    /**
     * Cancels with a message, and a cause for a cancellation that something else brought about.
     *
     * @return whether this call cancelled it
     */
    boolean cancel(String message, Throwable cause) {
        CancellationException cancellation = new CancellationException(message);
        if (cause != null) {
            cancellation.initCause(cause);
        }
        return super.completeExceptionally(cancellation);
    }

    @Override
    public V get() throws InterruptedException, ExecutionException {
        if (!isDone()) {
            LoopThreads.refuseBlocking(loop, "get()", "the task");
        }
        try {
            return super.get();
        } catch (CancellationException cancelled) {
            throw ownCancellation(cancelled);
        }
    }

    @Override
    public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        Arguments.notNull(unit, "unit");
        if (!isDone()) {
            LoopThreads.refuseBlocking(loop, "get()", "the task");
        }
        try {
            return super.get(timeout, unit);
        } catch (CancellationException cancelled) {
            throw ownCancellation(cancelled);
        } catch (TimeoutException timedOut) {
            throw new TimeoutException(describeFirst() + " did not complete within " + timeout + " " + unit
                    + " of real time (the wait is the calling thread's; the task's delay is loop time); it goes on");
        }
    }

    @Override
    public V join() {
        if (!isDone()) {
            LoopThreads.refuseBlocking(loop, "join()", "the task");
        }
        try {
            return super.join();
        } catch (CancellationException cancelled) {
            throw ownCancellation(cancelled);
        }
    }

    /**
     * The cancellation the task was cancelled with, which says why: newer JDKs throw a new one from {@code get()}
     * and {@code join()} instead, as {@code CancellationException("get")}, and older ones the same one, so the
     * future throws its own on every JDK, as a loop's futures do.
     */
    private CancellationException ownCancellation(CancellationException thrown) {
        Throwable own = super.handle((value, failure) -> failure).getNow(null); // done: runs at once
        return own instanceof CancellationException ? (CancellationException) own : thrown;
    }

    @Override
    public CompletableFuture<V> completeAsync(Supplier<? extends V> supplier, Executor executor) {
        Arguments.notNull(supplier, "supplier");
        Arguments.notNull(executor, "executor");
        executor.execute(() -> {
            try {
                complete(supplier.get());
            } catch (Throwable failure) {
                completeExceptionally(failure);
            }
        });
        return this;
    }

    @Override
    public void obtrudeValue(V value) {
        throw obtrusion("obtrudeValue");
    }

    @Override
    public void obtrudeException(Throwable exception) {
        throw obtrusion("obtrudeException");
    }

    private UnsupportedOperationException obtrusion(String method) {
        return new UnsupportedOperationException(method + "() is not supported by " + describe()
                + ": its outcome, once settled, is final; cancel(...) or complete(...) it while it is pending");
    }

    @Override
    public long getDelay(TimeUnit unit) {
        Arguments.notNull(unit, "unit");
        return unit.convert(Arguments.saturatedAdd(trigger, -loop.time()), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
        if (other == this) {
            return 0;
        }
        if (other instanceof LoopScheduledFuture) {
            LoopScheduledFuture<?> task = (LoopScheduledFuture<?>) other;
            int byTime = Long.compare(trigger, task.trigger);
            return byTime != 0 ? byTime : Long.compare(sequence, task.sequence);
        }
        return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean isPeriodic() {
        return period != 0;
    }

    /** Whether the task runs right now; read by {@code shutdownNow()}, which returns only tasks waiting. */
    boolean isRunning() {
        return running;
    }

    /** The task, for messages: {@code task lambda in com.example.Poller}. */
    String describe() {
        return "task " + CallbackNames.describe(command);
    }

    /** The task, at the start of a sentence: {@code Task lambda in com.example.Poller}. */
    String describeFirst() {
        return "Task " + CallbackNames.describe(command);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("<ScheduledFuture ").append(describe());
        if (period > 0) {
            text.append(" every ").append(Duration.ofNanos(period)).append(" at a fixed rate");
        } else if (period < 0) {
            text.append(" every ").append(Duration.ofNanos(-period)).append(" with a fixed delay");
        }
        if (!isDone()) {
            text.append(running ? " running" : " due in " + Duration.ofNanos(getDelay(TimeUnit.NANOSECONDS)));
        } else if (isCancelled()) {
            text.append(" cancelled");
        } else {
            text.append(isCompletedExceptionally() ? " failed" : " done");
        }
        return text.append('>').toString();
    }
}
