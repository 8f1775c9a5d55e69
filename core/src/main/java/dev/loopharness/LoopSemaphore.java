package dev.loopharness;

import dev.loopharness.internal.LoopBinding;
import dev.loopharness.internal.WaitList;

/**
 * A counter of permits for coroutines of one loop: asyncio's {@code Semaphore}, and {@code BoundedSemaphore}
 * through {@link #bounded(int)}. {@link #acquire()} takes a permit, suspending the calling coroutine while none
 * is free; {@link #release()} gives one back; {@link #withPermit} is Python's {@code async with semaphore:}.
 *
 * <pre>{@code
 * LoopSemaphore connections = new LoopSemaphore(4).withName("connections");
 * String page = connections.withPermit(() -> Async.await(client.fetch(url)));   // at most 4 at a time
 * }</pre>
 *
 * <p><b>No owner.</b> Any task or callback of the loop may release a permit. A plain semaphore counts every
 * release, past its initial value too; a bounded one refuses that.
 *
 * <p><b>Loop and threads.</b> Not thread-safe: use it on its loop's thread. It binds to the running loop at the
 * first {@link #acquire()} that must wait and refuses waits on another loop afterwards ({@code "is bound to a
 * different event loop"}).
 *
 * <p><b>Fairness.</b> Waiters take permits in arrival order; a newcomer does not overtake them. A waiter
 * cancelled after it was handed a permit gives the permit back to the next.
 *
 * @since 0.1.0
 */
public final class LoopSemaphore {

    private final int bound;
    private final LoopBinding binding = new LoopBinding(this);
    private final WaitList waiters = new WaitList(binding);
    private volatile String name;
    private int value;

    /**
     * Creates a semaphore.
     *
     * @param value the initial number of permits; zero or more
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public LoopSemaphore(int value) {
        this(value, -1);
    }

    private LoopSemaphore(int value, int bound) {
        if (value < 0) {
            throw new IllegalArgumentException("Semaphore initial value must be >= 0, but value was " + value);
        }
        this.value = value;
        this.bound = bound;
    }

    /**
     * Creates a bounded semaphore: asyncio's {@code BoundedSemaphore}, whose {@link #release()} refuses to raise
     * the permits past the initial value.
     *
     * @param value the initial and greatest number of permits; zero or more
     * @return the semaphore
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public static LoopSemaphore bounded(int value) {
        return new LoopSemaphore(value, value);
    }

    /**
     * Names the semaphore for messages and for leak and hang reports. Safe from any thread.
     *
     * @param name the name; must not be {@code null}
     * @return this semaphore
     * @throws NullPointerException if {@code name} is {@code null}
     */
    public LoopSemaphore withName(String name) {
        this.name = Names.require(name);
        return this;
    }

    /**
     * The semaphore's name.
     *
     * @return the name given to {@link #withName}, or {@code null}
     */
    public String name() {
        return name;
    }

    /**
     * Takes a permit, waiting while none is free or others wait before this. Coroutines only, when it must wait.
     *
     * @throws IllegalStateException if it must wait outside a coroutine, or on another loop than the
     *     semaphore's
     * @throws java.util.concurrent.CancellationException if the calling task is cancelled while it waits; no
     *     permit is then taken
     */
    public void acquire() {
        if (!locked()) {
            value--;
            return;
        }
        Object waiter = waiters.add(Names.call(this, "acquire"));
        try {
            waiters.await(waiter, () -> this + " (no permit free, " + waiters.size() + " waiting)");
        } catch (RuntimeException | Error e) {
            if (WaitList.wasWoken(waiter)) {
                value++; // the permit handed to this waiter goes back
            }
            throw e;
        } finally {
            // waiters that came while permits were handed out wait for their turn: wake as many as are free
            while (value > 0 && wakeNext()) {
                // each wake-up takes one permit
            }
        }
    }

    /** Hands a permit to the first waiter not woken yet; the permit is counted as taken from now. */
    private boolean wakeNext() {
        if (!waiters.wakeFirst()) {
            return false;
        }
        value--;
        return true;
    }

    /**
     * Gives a permit back and hands it to the first waiter, if one waits. Any task or callback of the loop may
     * release.
     *
     * @throws IllegalStateException if the semaphore is bounded and all its permits are free already
     */
    public void release() {
        if (bound >= 0 && value >= bound) {
            throw new IllegalStateException("BoundedSemaphore released too many times: " + this + " has all its "
                    + bound + " permits free already");
        }
        value++;
        wakeNext();
    }

    /**
     * Tells whether {@link #acquire()} would wait: no permit is free, or others wait.
     *
     * @return {@code true} if an acquire would wait
     */
    public boolean locked() {
        return value == 0 || waiters.anyWaiting();
    }

    /**
     * The number of free permits, not counting those handed to waiters that have not resumed yet.
     *
     * @return the permits free
     */
    public int availablePermits() {
        return value;
    }

    /**
     * Runs a body while holding a permit, and gives it back however the body ends: Python's {@code async with
     * semaphore:}.
     *
     * @param <T> the type of the body's result
     * @param body the body; must not be {@code null}
     * @return the body's result
     * @throws Exception what the body throws, as it is
     * @throws NullPointerException if {@code body} is {@code null}
     * @throws IllegalStateException as {@link #acquire()}
     */
    public <T> T withPermit(Coroutine<T> body) throws Exception {
        return LoopLock.holding(this::acquire, this::release, body);
    }

    /**
     * Names the semaphore: {@code LoopSemaphore 'connections'}, or {@code LoopSemaphore@1b6d3586} when unnamed.
     *
     * @return the name for messages
     */
    @Override
    public String toString() {
        return Names.of("LoopSemaphore", name, this);
    }
}
