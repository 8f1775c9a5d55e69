package dev.loopharness;

import dev.loopharness.internal.LoopBinding;
import dev.loopharness.internal.WaitList;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * A condition variable for coroutines of one loop: asyncio's {@code Condition}. A coroutine holding the lock
 * {@link #await()}s a signal, which releases the lock while it waits and takes it back before it returns;
 * {@link #signal(int)} and {@link #signalAll()} wake waiters in arrival order.
 *
 * <pre>{@code
 * LoopCondition ready = new LoopCondition().withName("stock");
 * ready.withLock(() -> {                       // consumer
 *     ready.awaitUntil(() -> stock > 0);
 *     return --stock;
 * });
 * ready.withLock(() -> {                       // producer
 *     stock++;
 *     ready.signal(1);
 *     return null;
 * });
 * }</pre>
 *
 * <p><b>Cancellation.</b> A waiter that is cancelled takes the lock back before the cancellation leaves {@link
 * #await()}, as in asyncio; if it had been signalled, it passes the signal to the next waiter, so none is lost.
 *
 * <p><b>Loop and threads.</b> Not thread-safe: use it on its loop's thread. It binds to the running loop at the
 * first {@link #await()} and refuses waits on another loop afterwards ({@code "is bound to a different event
 * loop"}).
 *
 * @since 0.1.0
 */
public final class LoopCondition {

    private final LoopLock lock;
    private final LoopBinding binding = new LoopBinding(this);
    private final WaitList waiters = new WaitList(binding);
    private volatile String name;

    /** Creates a condition with a lock of its own. */
    public LoopCondition() {
        this.lock = new LoopLock();
    }

    /**
     * Creates a condition on a lock, which others may share.
     *
     * @param lock the lock; must not be {@code null}
     * @throws NullPointerException if {@code lock} is {@code null}
     */
    public LoopCondition(LoopLock lock) {
        if (lock == null) {
            throw new NullPointerException("lock must not be null; to make one, use new LoopCondition()");
        }
        this.lock = lock;
    }

    /**
     * Names the condition for messages and for leak and hang reports. Safe from any thread.
     *
     * @param name the name; must not be {@code null}
     * @return this condition
     * @throws NullPointerException if {@code name} is {@code null}
     */
    public LoopCondition withName(String name) {
        this.name = Names.require(name);
        return this;
    }

    /**
     * The condition's name.
     *
     * @return the name given to {@link #withName}, or {@code null}
     */
    public String name() {
        return name;
    }

    /**
     * Acquires the underlying lock; see {@link LoopLock#acquire()}.
     *
     * @throws IllegalStateException as {@link LoopLock#acquire()}
     */
    public void acquire() {
        lock.acquire();
    }

    /**
     * Releases the underlying lock; see {@link LoopLock#release()}.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void release() {
        lock.release();
    }

    /**
     * Tells whether the underlying lock is held.
     *
     * @return {@code true} if held
     */
    public boolean locked() {
        return lock.locked();
    }

    /**
     * Runs a body while holding the underlying lock: Python's {@code async with condition:}.
     *
     * @param <T> the type of the body's result
     * @param body the body; must not be {@code null}
     * @return the body's result
     * @throws Exception what the body throws, as it is
     * @throws NullPointerException if {@code body} is {@code null}
     */
    public <T> T withLock(Coroutine<T> body) throws Exception {
        return lock.withLock(body);
    }

    /**
     * Releases the lock, waits for a signal, and takes the lock back. The lock must be held. Coroutines only.
     *
     * @throws IllegalStateException if the lock is not held, outside a coroutine, or on another loop than the
     *     condition's
     * @throws CancellationException if the calling task is cancelled; the lock is held again all the same
     */
    public void await() {
        if (!lock.locked()) {
            throw new IllegalStateException("cannot wait on un-acquired lock: await() on " + this
                    + " needs its lock held; call it inside withLock(...)");
        }
        lock.release();
        Object waiter = null;
        try {
            waiter = waiters.add(Names.call(this, "await"));
            waiters.await(waiter, () -> this + " (awaiting a signal, " + waiters.size() + " waiting)");
        } catch (RuntimeException | Error e) {
            if (waiter != null && WaitList.wasWoken(waiter)) {
                waiters.wake(1); // the signal this waiter will not act on goes to the next
            }
            throw e;
        } finally {
            reacquire();
        }
    }

    /** Takes the lock back even if cancelled meanwhile; the last cancellation is thrown once it is held. */
    private void reacquire() {
        CancellationException cancelled = null;
        while (true) {
            try {
                lock.acquire();
                break;
            } catch (CancellationException e) {
                cancelled = e;
            }
        }
        if (cancelled != null) {
            throw cancelled;
        }
    }

    /**
     * Waits until a predicate holds: checks it, and {@link #await()}s a signal each time it does not. The lock
     * must be held. Coroutines only, when it must wait.
     *
     * @param predicate the condition awaited, checked with the lock held; must not be {@code null}
     * @throws NullPointerException if {@code predicate} is {@code null}
     * @throws IllegalStateException as {@link #await()}
     * @throws CancellationException as {@link #await()}
     */
    public void awaitUntil(BooleanSupplier predicate) {
        if (predicate == null) {
            throw new NullPointerException("predicate must not be null");
        }
        while (!predicate.getAsBoolean()) {
            await();
        }
    }

    /**
     * Wakes up to {@code n} waiters, in arrival order. The lock must be held.
     *
     * @param n how many; zero or more
     * @throws IllegalArgumentException if {@code n} is negative
     * @throws IllegalStateException if the lock is not held
     */
    public void signal(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, but n was " + n);
        }
        checkLocked("signal");
        waiters.wake(n);
    }

    /**
     * Wakes every waiter. The lock must be held.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void signalAll() {
        checkLocked("signalAll");
        waiters.wakeAll();
    }

    private void checkLocked(String operation) {
        if (!lock.locked()) {
            throw new IllegalStateException("cannot notify on un-acquired lock: " + operation + "() on " + this
                    + " needs its lock held; call it inside withLock(...)");
        }
    }

    /**
     * Names the condition: {@code LoopCondition 'stock'}, or {@code LoopCondition@1b6d3586} when unnamed.
     *
     * @return the name for messages
     */
    @Override
    public String toString() {
        return Names.of("LoopCondition", name, this);
    }
}
