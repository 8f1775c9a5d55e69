package dev.loopharness.internal;

import dev.loopharness.Coroutine;
import dev.loopharness.LoopFuture;
import dev.loopharness.Outcome;
import dev.loopharness.TimerHandle;
import dev.loopharness.WaitMode;
import dev.loopharness.WaitResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/** The implementation of {@code Async}'s functions over many futures: wait, shield and the gathers. */
public final class Waiting {

    private Waiting() {}

    /**
     * Waits until the futures meet the mode, or the timeout passes; never throws their exceptions.
     *
     * @param <T> the result type
     * @param futures the futures, at least one
     * @param mode when to return
     * @param timeout the longest wait, or {@code null} for none
     * @return the done and pending futures
     */
    public static <T> WaitResult<T> wait(
            Collection<? extends LoopFuture<? extends T>> futures, WaitMode mode, Duration timeout) {
        Arguments.notNull(futures, "futures");
        Arguments.notNull(mode, "mode");
        TaskImpl<?> task = Coroutines.requireTask("wait");
        List<FutureImpl<T>> distinct = distinct(task.loop, futures);
        if (distinct.isEmpty()) {
            throw new IllegalArgumentException("futures must not be empty: Async.wait() needs a future to wait for");
        }
        List<FutureImpl<T>> pending = new ArrayList<>();
        boolean failed = false;
        for (FutureImpl<T> future : distinct) {
            if (!future.isDone()) {
                pending.add(future);
            } else {
                failed |= failedWithException(future);
            }
        }
        boolean met = pending.isEmpty()
                || (mode == WaitMode.FIRST_COMPLETED && pending.size() < distinct.size())
                || (mode == WaitMode.FIRST_EXCEPTION && failed);
        if (!met) {
            awaitCondition(task, pending, mode, timeout);
        }
        return WaitOutcome.of(distinct);
    }

    private static <T> void awaitCondition(
            TaskImpl<?> task, List<FutureImpl<T>> pending, WaitMode mode, Duration timeout) {
        FutureImpl<Void> waiter = new FutureImpl<>(task.loop);
        int[] left = {pending.size()};
        Consumer<LoopFuture<T>> onDone = done -> {
            left[0]--;
            if (left[0] == 0
                    || mode == WaitMode.FIRST_COMPLETED
                    || (mode == WaitMode.FIRST_EXCEPTION && failedWithException((FutureImpl<?>) done))) {
                waiter.complete(null);
            }
        };
        for (FutureImpl<T> future : pending) {
            future.addDoneCallbackInternal(onDone);
        }
        TimerHandle timer = timeout == null ? null : task.loop.callLater(timeout, () -> waiter.complete(null));
        try {
            task.await(waiter);
        } finally {
            if (timer != null) {
                timer.cancel();
            }
            for (FutureImpl<T> future : pending) {
                future.removeDoneCallbackInternal(onDone);
            }
        }
    }

    private static boolean failedWithException(FutureImpl<?> future) {
        Throwable failure = future.failureOrCancellation();
        return failure != null && !future.isCancelled();
    }

    /**
     * The futures given, each once, in order, as futures of the loop.
     *
     * @throws NullPointerException naming the index of a {@code null}
     * @throws IllegalArgumentException for a future of another loop
     */
    @SuppressWarnings("unchecked") // read only: a future of a subtype of T yields a T
    static <T> List<FutureImpl<T>> distinct(
            DefaultEventLoop loop, Collection<? extends CompletionStage<? extends T>> futures) {
        Set<FutureImpl<T>> distinct = new LinkedHashSet<>();
        int index = 0;
        for (CompletionStage<? extends T> future : futures) {
            Arguments.notNull(future, "futures[" + index++ + "]");
            distinct.add((FutureImpl<T>) loop.adopt(future));
        }
        return new ArrayList<>(distinct);
    }

    /**
     * The futures in the order they complete.
     *
     * @param <T> the result type
     * @param futures the futures
     * @param timeout the longest wait for all of them, or {@code null} for none
     * @return an iterable to go through once, inside the coroutine
     */
    public static <T> Iterable<LoopFuture<T>> asCompleted(
            Collection<? extends LoopFuture<? extends T>> futures, Duration timeout) {
        Arguments.notNull(futures, "futures");
        TaskImpl<?> task = Coroutines.requireTask("asCompleted");
        return new AsCompleted<>(task.loop, distinct(task.loop, futures), timeout);
    }

    /**
     * An outer future that settles like the inner one, but whose cancellation leaves the inner one running.
     *
     * @param <T> the result type
     * @param inner the inner future
     * @return the outer future, or the inner one if it is done
     */
    public static <T> LoopFuture<T> shield(LoopFuture<T> inner) {
        Arguments.notNull(inner, "inner");
        FutureImpl<T> shielded = ((DefaultEventLoop) inner.loop()).adopt(inner);
        shielded.loop.checkThread("Async.shield");
        if (shielded.isDone()) {
            return shielded;
        }
        FutureImpl<T> outer = new FutureImpl<>(shielded.loop);
        Consumer<LoopFuture<T>> innerDone = done -> {
            Throwable failure = shielded.failureOrCancellation();
            if (outer.isCancelled()) {
                shielded.markRetrieved(); // its outcome would have gone to the outer future's awaiter
            } else if (shielded.isCancelled()) {
                outer.cancelNow(new CancellationException());
            } else if (failure != null) {
                shielded.markRetrieved();
                outer.fail(failure, true);
            } else {
                outer.complete(shielded.valueNow());
            }
        };
        shielded.addDoneCallbackInternal(innerDone);
        outer.addDoneCallbackInternal(done -> {
            if (!shielded.isDone()) {
                shielded.removeDoneCallbackInternal(innerDone);
            }
        });
        return outer;
    }

    /**
     * Runs coroutines as tasks and returns every outcome in order.
     *
     * @param <T> the result type
     * @param coroutines the coroutines
     * @return their outcomes
     */
    public static <T> List<Outcome<T>> gatherSettled(Coroutine<? extends T>[] coroutines) {
        Arguments.notNull(coroutines, "coroutines");
        for (int i = 0; i < coroutines.length; i++) {
            Arguments.notNull(coroutines[i], "coroutines[" + i + "]");
        }
        TaskImpl<?> task = Coroutines.requireTask("gatherSettled");
        List<FutureImpl<? extends T>> children = new ArrayList<>(coroutines.length);
        for (Coroutine<? extends T> coroutine : coroutines) {
            children.add(task.loop.newTask(coroutine));
        }
        return task.await(Gathering.settled(task.loop, children));
    }

    /**
     * Waits for futures that exist already and returns their results in order.
     *
     * @param <T> the result type
     * @param futures the futures
     * @return their results
     */
    public static <T> List<T> gather(Collection<? extends CompletionStage<? extends T>> futures) {
        Arguments.notNull(futures, "futures");
        TaskImpl<?> task = Coroutines.requireTask("gather");
        List<FutureImpl<? extends T>> adopted = new ArrayList<>(futures.size());
        int index = 0;
        for (CompletionStage<? extends T> future : futures) {
            Arguments.notNull(future, "futures[" + index++ + "]");
            adopted.add(task.loop.adopt(future));
        }
        return task.await(Gathering.all(task.loop, adopted));
    }

    /** The done and pending sets of a wait, each in argument order. */
    private record WaitOutcome<T>(Set<LoopFuture<T>> done, Set<LoopFuture<T>> pending) implements WaitResult<T> {

        static <T> WaitOutcome<T> of(List<FutureImpl<T>> futures) {
            Set<LoopFuture<T>> done = new LinkedHashSet<>();
            Set<LoopFuture<T>> pending = new LinkedHashSet<>();
            for (FutureImpl<T> future : futures) {
                (future.isDone() ? done : pending).add(future);
            }
            return new WaitOutcome<>(Collections.unmodifiableSet(done), Collections.unmodifiableSet(pending));
        }
    }
}
