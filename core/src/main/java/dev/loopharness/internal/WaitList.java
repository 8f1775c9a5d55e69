package dev.loopharness.internal;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Supplier;

/**
 * The waiting coroutines of one queue or synchronization primitive, first come first served: each waits on a
 * future of its own, which a wake-up completes. A waiter stays in the list until it resumes, so a woken waiter
 * that is cancelled before it runs can tell it was woken and pass the wake-up on: the primitives do that, and
 * no wake-up is lost.
 *
 * <p>Loop thread only, like the primitives; not thread-safe.
 */
public final class WaitList {

    private final LoopBinding binding;
    private final ArrayDeque<FutureImpl<Boolean>> waiters = new ArrayDeque<>();

    /**
     * Creates an empty list.
     *
     * @param binding the primitive's loop binding, shared by all its lists
     */
    public WaitList(LoopBinding binding) {
        this.binding = binding;
    }

    /**
     * Adds a waiter for the calling coroutine, at the end. Binds the primitive to the coroutine's loop first.
     *
     * @param operation the primitive's method, for the message when called outside a coroutine
     * @return the waiter, to pass to {@link #await}
     * @throws IllegalStateException outside a coroutine, or on another loop than the primitive's
     */
    public Object add(String operation) {
        FutureImpl<Boolean> waiter = new FutureImpl<>(binding.bind(operation).loop);
        waiters.addLast(waiter);
        return waiter;
    }

    /**
     * Suspends the calling coroutine until its waiter is woken; the waiter leaves the list however this ends.
     * While it waits, leak and hang reports show the label.
     *
     * @param waiter the waiter from {@link #add}
     * @param label what the task waits on, computed when a report asks
     * @throws java.util.concurrent.CancellationException if the task is cancelled; check {@link #wasWoken} to
     *     tell whether a wake-up came first
     */
    public void await(Object waiter, Supplier<String> label) {
        FutureImpl<?> future = (FutureImpl<?>) waiter;
        TaskImpl<?> task = TaskImpl.current();
        WaitLabels.enter(task, label);
        try {
            task.await(future);
        } finally {
            WaitLabels.exit(task);
            waiters.remove(future);
        }
    }

    /**
     * Tells whether a waiter was woken (rather than cancelled).
     *
     * @param waiter the waiter
     * @return {@code true} if a wake-up completed it
     */
    public static boolean wasWoken(Object waiter) {
        FutureImpl<?> future = (FutureImpl<?>) waiter;
        return future.isDone() && !future.isCancelled();
    }

    /**
     * Wakes the first waiter not woken yet.
     *
     * @return whether there was one
     */
    public boolean wakeFirst() {
        return wake(1) == 1;
    }

    /**
     * Wakes the first waiter if it was neither woken nor cancelled; otherwise wakes none. For a lock, where a
     * first waiter that was cancelled passes the wake-up on itself when it resumes, and a woken one will take
     * the lock.
     */
    public void wakeHead() {
        FutureImpl<Boolean> head = waiters.peekFirst();
        if (head != null && !head.isDone()) {
            head.complete(Boolean.TRUE);
        }
    }

    /**
     * Wakes the first {@code n} waiters not woken yet, in arrival order.
     *
     * @param n how many at most
     * @return how many were woken
     */
    public int wake(int n) {
        int woken = 0;
        for (Iterator<FutureImpl<Boolean>> it = waiters.iterator(); it.hasNext() && woken < n; ) {
            FutureImpl<Boolean> waiter = it.next();
            if (!waiter.isDone()) {
                waiter.complete(Boolean.TRUE);
                woken++;
            }
        }
        return woken;
    }

    /** Wakes every waiter not woken yet. */
    public void wakeAll() {
        wake(Integer.MAX_VALUE);
    }

    /**
     * Tells whether a waiter waits that was neither woken nor cancelled.
     *
     * @return whether one still waits for a wake-up
     */
    public boolean anyWaiting() {
        for (FutureImpl<Boolean> waiter : waiters) {
            if (!waiter.isCancelled()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The number of waiters, woken ones that have not resumed yet included.
     *
     * @return the size
     */
    public int size() {
        return waiters.size();
    }
}
