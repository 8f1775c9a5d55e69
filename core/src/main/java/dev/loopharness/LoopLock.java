package dev.loopharness;

import dev.loopharness.internal.LoopBinding;
import dev.loopharness.internal.WaitList;

/**
 * A mutual-exclusion lock for coroutines of one loop: asyncio's {@code Lock}. {@link #acquire()} suspends the
 * calling coroutine, not the loop, while another holds the lock; {@link #withLock} is Python's {@code async
 * with lock:}.
 *
 * <pre>{@code
 * LoopLock lock = new LoopLock().withName("ledger");
 * long balance = lock.withLock(() -> {
 *     long read = ledger.read();
 *     Async.sleep(Duration.ofMillis(5));   // others wait for the lock meanwhile
 *     return ledger.write(read + 10);
 * });
 * }</pre>
 *
 * <p><b>No owner.</b> As in asyncio, the lock does not know who holds it: any task or callback of the loop may
 * release it, and a holder that acquires it again waits for itself. It is not reentrant.
 *
 * <p><b>Loop and threads.</b> Not thread-safe: use it on its loop's thread. It binds to the running loop at the
 * first {@link #acquire()} that must wait and refuses waits on another loop afterwards ({@code "is bound to a
 * different event loop"}).
 *
 * <p><b>Fairness.</b> Waiters acquire in arrival order; a newcomer does not overtake them. A waiter cancelled
 * after it was woken passes the wake-up on.
 *
 * @since 0.1.0
 */
public final class LoopLock {

    private final LoopBinding binding = new LoopBinding(this);
    private final WaitList waiters = new WaitList(binding);
    private volatile String name;
    private boolean locked;

    /** Creates an unlocked lock. */
    public LoopLock() {}

    /**
     * Names the lock for messages and for leak and hang reports. Safe from any thread.
     *
     * @param name the name; must not be {@code null}
     * @return this lock
     * @throws NullPointerException if {@code name} is {@code null}
     */
    public LoopLock withName(String name) {
        this.name = Names.require(name);
        return this;
    }

    /**
     * The lock's name.
     *
     * @return the name given to {@link #withName}, or {@code null}
     */
    public String name() {
        return name;
    }

    /**
     * Acquires the lock, waiting while it is held or others wait for it. Coroutines only, when it must wait.
     *
     * @throws IllegalStateException if it must wait outside a coroutine, or on another loop than the lock's
     * @throws java.util.concurrent.CancellationException if the calling task is cancelled while it waits; the
     *     lock is then not acquired
     */
    public void acquire() {
        if (!locked && !waiters.anyWaiting()) {
            locked = true;
            return;
        }
        Object waiter = waiters.add(Names.call(this, "acquire"));
        try {
            waiters.await(waiter, () -> this + " (locked, " + waiters.size() + " waiting)");
        } catch (RuntimeException | Error e) {
            if (!locked) {
                waiters.wakeHead();
            }
            throw e;
        }
        locked = true;
    }

    /**
     * Releases the lock and wakes the first waiter. Any task or callback of the loop may release it.
     *
     * @throws IllegalStateException if the lock is not held
     */
    public void release() {
        if (!locked) {
            throw new IllegalStateException(
                    "Lock is not acquired: release() called on " + this + ", which nobody holds");
        }
        locked = false;
        waiters.wakeHead();
    }

    /**
     * Tells whether the lock is held.
     *
     * @return {@code true} if held
     */
    public boolean locked() {
        return locked;
    }

    /**
     * Runs a body while holding the lock, and releases it however the body ends: Python's {@code async with
     * lock:}.
     *
     * @param <T> the type of the body's result
     * @param body the body; must not be {@code null}
     * @return the body's result
     * @throws Exception what the body throws, as it is
     * @throws NullPointerException if {@code body} is {@code null}
     * @throws IllegalStateException as {@link #acquire()}
     */
    public <T> T withLock(Coroutine<T> body) throws Exception {
        return holding(this::acquire, this::release, body);
    }

    /**
     * Python's {@code async with}: acquires, runs the body, and releases however it ends. Shared by the lock and
     * the semaphore.
     */
    static <T> T holding(Runnable acquire, Runnable release, Coroutine<T> body) throws Exception {
        if (body == null) {
            throw new NullPointerException("body must not be null");
        }
        acquire.run();
        try {
            return body.run();
        } finally {
            release.run();
        }
    }

    /**
     * Names the lock: {@code LoopLock 'ledger'}, or {@code LoopLock@1b6d3586} when unnamed.
     *
     * @return the name for messages
     */
    @Override
    public String toString() {
        return Names.of("LoopLock", name, this);
    }
}
