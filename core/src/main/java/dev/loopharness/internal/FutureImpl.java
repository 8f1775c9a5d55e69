package dev.loopharness.internal;

import dev.loopharness.EventLoop;
import dev.loopharness.LoopFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * asyncio's Future: pending until a result, an exception or a cancellation settles it, after which its done
 * callbacks are scheduled on the loop. The {@link CompletionStage} methods are built on two primitives, {@link
 * #derive} and {@link #follow}, so that every dependent stage is scheduled the same way.
 *
 * <p>State changes happen on the loop's thread; {@code state} is volatile so that other threads may query it.
 */
public class FutureImpl<T> extends FutureStages<T> {

    enum State {
        PENDING,
        CANCELLED,
        FINISHED
    }

    final DefaultEventLoop loop;
    private volatile State state = State.PENDING;
    private T value;
    private Throwable failure;

    /** Whether a failure must be reported if nobody retrieves it: false where it was propagated from a source. */
    private boolean reportable;

    /** Null, one callback, or a list of them: see {@link DoneCallbacks}. */
    private Object callbacks;

    FutureImpl(DefaultEventLoop loop) {
        this.loop = loop;
    }

    @Override
    public final EventLoop loop() {
        return loop;
    }

    @Override
    public final boolean isDone() {
        return state != State.PENDING;
    }

    @Override
    public final boolean isCancelled() {
        return state == State.CANCELLED;
    }

    final boolean succeeded() {
        return state == State.FINISHED && failure == null;
    }

    @Override
    public boolean cancel() {
        loop.checkThread("LoopFuture.cancel");
        if (isDone()) {
            markRetrieved(); // asyncio: cancelling a failed future counts as looking at its exception
            return false;
        }
        loop.checkClosed();
        return requestCancel(null);
    }

    /** Cancels with the given exception as the cancellation; false if already done. */
    final boolean cancelNow(CancellationException cancellation) {
        if (state != State.PENDING) {
            return false;
        }
        failure = cancellation;
        state = State.CANCELLED;
        scheduleCallbacks();
        return true;
    }

    @Override
    public final T result() {
        switch (state) {
            case PENDING:
                throw new IllegalStateException("Result is not set.");
            case CANCELLED:
                throw (CancellationException) failure;
            default:
                if (failure != null) {
                    markRetrieved();
                    throw Throwables.sneakyThrow(failure);
                }
                return value;
        }
    }

    @Override
    public final Throwable exception() {
        switch (state) {
            case PENDING:
                throw new IllegalStateException("Exception is not set.");
            case CANCELLED:
                throw (CancellationException) failure;
            default:
                markRetrieved();
                return failure;
        }
    }

    /** The failure or cancellation, without marking it retrieved; null if pending or succeeded. */
    final Throwable failureOrCancellation() {
        return failure;
    }

    @Override
    public void setResult(T result) {
        loop.checkThread("LoopFuture.setResult");
        requirePending();
        loop.checkClosed();
        complete(result);
    }

    @Override
    public void setException(Throwable exception) {
        Arguments.notNull(exception, "exception");
        loop.checkThread("LoopFuture.setException");
        requirePending();
        loop.checkClosed();
        fail(exception, true);
    }

    private void requirePending() {
        if (state != State.PENDING) {
            throw new IllegalStateException("Invalid state " + state + ": " + this
                    + " is done already; a future is completed only once (check isDone() first)");
        }
    }

    /** Completes with a value; false if already done. */
    final boolean complete(T result) {
        if (state != State.PENDING) {
            return false;
        }
        value = result;
        state = State.FINISHED;
        scheduleCallbacks();
        return true;
    }

    /**
     * Fails with an exception; false if already done.
     *
     * @param reportIfUnretrieved whether the failure started here, so that it must be reported if nobody
     *     retrieves it; false for a failure propagated from another future, which that one reports
     */
    final boolean fail(Throwable exception, boolean reportIfUnretrieved) {
        if (state != State.PENDING) {
            return false;
        }
        failure = exception;
        state = State.FINISHED;
        if (reportIfUnretrieved) {
            reportable = true;
            loop.unretrieved.add(this);
        }
        scheduleCallbacks();
        return true;
    }

    /**
     * Takes the outcome of a done source: its value, its failure, or its cancellation. A failure nobody has
     * retrieved from the source yet becomes this future's to report: it passes down a chain such as {@code
     * task.thenApply(f)} to the stage that is last, which is reported if nobody retrieves it there either.
     */
    @SuppressWarnings("unchecked")
    final void settleFrom(FutureImpl<?> source) {
        if (source.state == State.CANCELLED) {
            cancelNow((CancellationException) source.failure);
        } else if (source.failure != null) {
            boolean unretrieved = source.reportable;
            source.markRetrieved();
            fail(source.failure, unretrieved);
        } else {
            complete((T) source.value);
        }
    }

    final void markRetrieved() {
        if (reportable) {
            reportable = false;
            loop.unretrieved.remove(this);
        }
    }

    @Override
    public final void addDoneCallback(Consumer<? super LoopFuture<T>> callback) {
        Arguments.notNull(callback, "callback");
        loop.checkThread("LoopFuture.addDoneCallback");
        append(callback);
    }

    /**
     * Adds a done callback of the loop's own bookkeeping (ending a run, waking a waiter, a shield passing an outcome
     * on), without the debug thread check. Such a callback runs no user code, so no report names its handle's
     * creation site, the frame that completed this future: its handle gets none, and debug mode spares the stack
     * walk (one per test under the JUnit extension, whose run ends this way).
     */
    final void addDoneCallbackInternal(Consumer<? super LoopFuture<T>> callback) {
        if (state != State.PENDING) {
            scheduleBookkeeping(callback);
        } else {
            callbacks = DoneCallbacks.add(callbacks, new DoneCallbacks.Bookkeeping(callback));
        }
    }

    /** Removes a callback added with {@link #addDoneCallbackInternal}, if it was not scheduled yet. */
    final void removeDoneCallbackInternal(Consumer<? super LoopFuture<T>> callback) {
        callbacks = DoneCallbacks.removeBookkeeping(callbacks, callback);
    }

    /**
     * Cancels on behalf of a task that awaits this future and is itself cancelled; a task passes the request on
     * to what it awaits.
     *
     * @param message the cancellation's message, or {@code null}
     * @return whether the request was made
     */
    boolean requestCancel(String message) {
        if (isDone()) {
            markRetrieved(); // asyncio: cancelling a failed future counts as looking at its exception
            return false;
        }
        return cancelNow(new CancellationException(message));
    }

    /**
     * Settles with the outcome of work done elsewhere: a cancellation cancels, a failure fails (and is reported
     * if nobody retrieves it), else the value completes.
     */
    final void settleOutcome(T result, Throwable failure) {
        if (failure instanceof CancellationException) {
            cancelNow((CancellationException) failure);
        } else if (failure != null) {
            fail(failure, true);
        } else {
            complete(result);
        }
    }

    /** Marks the future cancelled without scheduling its callbacks: for a loop that is closing. */
    final void abandon(CancellationException cancellation) {
        if (state == State.PENDING) {
            failure = cancellation;
            callbacks = null;
            state = State.CANCELLED;
        }
    }

    /** Runs an action on the loop once this future is done; internal, so no thread check. */
    final void whenDone(Runnable action) {
        append(done -> action.run());
    }

    private void append(Consumer<? super LoopFuture<T>> callback) {
        if (state != State.PENDING) {
            loop.callSoon(() -> callback.accept(this));
        } else {
            callbacks = DoneCallbacks.add(callbacks, callback);
        }
    }

    @Override
    public final int removeDoneCallback(Consumer<? super LoopFuture<T>> callback) {
        loop.checkThread("LoopFuture.removeDoneCallback");
        return DoneCallbacks.removeEqual(callbacks, callback, left -> callbacks = left);
    }

    @SuppressWarnings("unchecked")
    private void scheduleCallbacks() {
        Object registered = callbacks;
        callbacks = null;
        DoneCallbacks.forEach(registered, callback -> {
            if (callback instanceof DoneCallbacks.Bookkeeping) {
                scheduleBookkeeping(
                        (Consumer<? super LoopFuture<T>>) ((DoneCallbacks.Bookkeeping) callback).callback());
            } else {
                Consumer<? super LoopFuture<T>> consumer = (Consumer<? super LoopFuture<T>>) callback;
                loop.callSoon(() -> consumer.accept(this));
            }
        });
    }

    /**
     * Schedules a bookkeeping callback as {@code callSoon} does, without a creation site (see {@code
     * withoutCreationSite}).
     */
    private void scheduleBookkeeping(Consumer<? super LoopFuture<T>> callback) {
        Runnable run = () -> callback.accept(this);
        loop.withoutCreationSite(() -> loop.callSoon(run));
    }

    // ---- the primitives behind every CompletionStage method (see FutureStages) ----------------------------

    /** The value of a future known to have succeeded. */
    final T valueNow() {
        return value;
    }

    /** The value if the future succeeded, else null. */
    final T valueOrNull() {
        return failure == null ? value : null;
    }

    /**
     * A dependent stage: once this future is done, {@code computation} runs (on the loop, or on {@code
     * executor}) and its result settles the new stage. Unless {@code handlesFailure}, a failure or cancellation
     * of this future passes to the new stage without running the computation.
     */
    @Override
    final <U> FutureImpl<U> derive(Executor executor, boolean handlesFailure, Computation<T, U> computation) {
        FutureImpl<U> next = new FutureImpl<>(loop);
        whenDone(() -> {
            if (!handlesFailure && !succeeded()) {
                next.settleFrom(this);
                return;
            }
            markRetrieved();
            if (executor == null) {
                next.settle(computation, this);
            } else {
                dispatch(executor, computation, next);
            }
        });
        return next;
    }

    private <U> void dispatch(Executor executor, Computation<T, U> computation, FutureImpl<U> next) {
        try {
            executor.execute(() -> {
                U result = null;
                Throwable thrown = null;
                try {
                    result = computation.compute(this);
                } catch (Throwable t) {
                    thrown = t;
                }
                U computed = result;
                Throwable failed = thrown;
                loop.callSoonThreadsafe(() -> next.settle(computed, failed));
                if (failed != null) {
                    Throwables.rethrowIfFatal(failed);
                }
            });
        } catch (RejectedExecutionException rejected) {
            next.fail(rejected, true);
        }
    }

    /** Runs a computation on the loop and takes its result or failure; a failure is this stage's own. */
    private <S> void settle(Computation<S, T> computation, FutureImpl<S> source) {
        T result = null;
        Throwable thrown = null;
        try {
            result = computation.compute(source);
        } catch (Throwable t) {
            Throwables.rethrowIfFatal(t);
            thrown = t;
        }
        settle(result, thrown);
    }

    private void settle(T result, Throwable thrown) {
        if (thrown != null) {
            fail(thrown, true);
        } else {
            complete(result);
        }
    }

    /** A stage that settles like the stage its computation returns. */
    @Override
    final <U> FutureImpl<U> compose(
            Executor executor, boolean handlesFailure, Computation<T, CompletionStage<U>> computation) {
        FutureImpl<CompletionStage<U>> outer = derive(executor, handlesFailure, computation);
        FutureImpl<U> next = new FutureImpl<>(loop);
        outer.whenDone(() -> {
            CompletionStage<U> stage = outer.succeeded() ? outer.valueNow() : null;
            if (stage == null && outer.succeeded()) {
                next.fail(new NullPointerException("the function returned null instead of a CompletionStage"), true);
            } else if (stage == null) {
                next.settleFrom(outer);
            } else {
                followInto(stage, next);
            }
        });
        return next;
    }

    private static <U> void followInto(CompletionStage<U> stage, FutureImpl<U> next) {
        FutureImpl<U> inner;
        try {
            inner = next.loop.adopt(stage);
        } catch (IllegalArgumentException otherLoop) {
            next.fail(otherLoop, true);
            return;
        }
        inner.whenDone(() -> next.settleFrom(inner));
    }

    /** A stage that settles like whichever of this future and {@code other} is done first. */
    @Override
    final FutureImpl<T> either(CompletionStage<? extends T> other) {
        FutureImpl<? extends T> second = adopt(other);
        FutureImpl<T> first = new FutureImpl<>(loop);
        whenDone(() -> {
            if (!first.isDone()) {
                first.settleFrom(this);
            }
        });
        second.whenDone(() -> {
            if (!first.isDone()) {
                first.settleFrom(second);
            }
        });
        return first;
    }

    @Override
    final <U> FutureImpl<U> adopt(CompletionStage<U> other) {
        return loop.adopt(other);
    }

    /**
     * A stage with this future's outcome once {@code action} has seen it; if the action throws, a success
     * becomes that failure, and a failure keeps its exception with the action's added as suppressed.
     */
    @Override
    final FutureImpl<T> whenCompleteOn(Executor executor, BiConsumer<? super T, ? super Throwable> action) {
        FutureImpl<Void> seen = derive(executor, true, source -> {
            action.accept(source.valueOrNull(), source.failureOrCancellation());
            return null;
        });
        FutureImpl<T> next = new FutureImpl<>(loop);
        seen.whenDone(() -> {
            Throwable actionFailure = seen.failure;
            if (actionFailure == null) {
                next.settleFrom(this);
            } else if (succeeded()) {
                seen.markRetrieved();
                next.fail(actionFailure, true);
            } else {
                seen.markRetrieved();
                if (actionFailure != failure) {
                    failure.addSuppressed(actionFailure);
                }
                next.settleFrom(this);
            }
        });
        return next;
    }

    @Override
    public CompletableFuture<T> toCompletableFuture() {
        return FutureCopy.of(this);
    }

    @Override
    public String toString() {
        String kind = "LoopFuture";
        switch (state) {
            case PENDING:
                return "<" + kind + " pending>";
            case CANCELLED:
                return "<" + kind + " cancelled>";
            default:
                return failure != null
                        ? "<" + kind + " finished exception=" + failure + ">"
                        : "<" + kind + " finished result=" + value + ">";
        }
    }
}
