package dev.loopharness.internal;

import dev.loopharness.LoopFuture;
import dev.loopharness.TimerHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * asyncio's {@code as_completed}: yields each future as it completes. {@link #next()} suspends the coroutine until
 * the next one is done. Once the timeout has passed, each remaining call returns a future failed with a {@link
 * TimeoutException}, as each remaining awaitable of asyncio's raises {@code TimeoutError}; the iteration always
 * yields as many futures as were given.
 */
final class AsCompleted<T> implements Iterable<LoopFuture<T>>, Iterator<LoopFuture<T>> {

    private final DefaultEventLoop loop;
    private final List<FutureImpl<T>> futures;
    private final Duration timeout;
    private final ArrayDeque<FutureImpl<T>> completed = new ArrayDeque<>();
    private final Consumer<LoopFuture<T>> onDone = this::onDone;
    private final TimerHandle timer;
    private FutureImpl<Void> waiter;
    private boolean timedOut;
    private boolean iterated;
    private int yielded;

    AsCompleted(DefaultEventLoop loop, List<FutureImpl<T>> futures, Duration timeout) {
        this.loop = loop;
        this.futures = futures;
        this.timeout = timeout;
        for (FutureImpl<T> future : futures) {
            future.addDoneCallbackInternal(onDone);
        }
        this.timer = timeout == null || futures.isEmpty() ? null : loop.callLater(timeout, this::timeUp);
    }

    @SuppressWarnings("unchecked") // the callback is registered on futures of T only
    private void onDone(LoopFuture<T> future) {
        completed.add((FutureImpl<T>) future);
        wake();
    }

    private void timeUp() {
        timedOut = true;
        for (FutureImpl<T> future : futures) {
            future.removeDoneCallbackInternal(onDone);
        }
        wake();
    }

    private void wake() {
        if (waiter != null) {
            waiter.complete(null);
        }
    }

    @Override
    public Iterator<LoopFuture<T>> iterator() {
        if (iterated) {
            throw new IllegalStateException(
                    "Async.asCompleted() gives one pass over the futures; call it again for" + " another");
        }
        iterated = true;
        return this;
    }

    @Override
    public boolean hasNext() {
        return yielded < futures.size();
    }

    @Override
    public LoopFuture<T> next() {
        if (!hasNext()) {
            throw new NoSuchElementException("all " + futures.size() + " futures were given already");
        }
        TaskImpl<?> task = Coroutines.requireTask("asCompleted");
        while (completed.isEmpty() && !timedOut) {
            waiter = new FutureImpl<>(loop);
            try {
                task.await(waiter);
            } finally {
                waiter = null;
            }
        }
        yielded++;
        if (yielded == futures.size() && timer != null) {
            timer.cancel();
        }
        if (!completed.isEmpty()) {
            return completed.poll();
        }
        FutureImpl<T> late = new FutureImpl<>(loop);
        late.fail(
                new TimeoutException("Async.asCompleted(): " + (futures.size() - yielded + 1) + " of " + futures.size()
                        + " futures did not complete within " + timeout + " of loop time"),
                false);
        return late;
    }
}
