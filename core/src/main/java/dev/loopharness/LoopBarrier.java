package dev.loopharness;

import dev.loopharness.internal.LoopBinding;
import dev.loopharness.internal.WaitList;
import java.util.concurrent.BrokenBarrierException;

/**
 * A meeting point for a number of coroutines of one loop: asyncio's {@code Barrier}. Each party {@link
 * #await()}s; when the last arrives, all go on together, and the barrier fills again for the next round.
 *
 * <pre>{@code
 * LoopBarrier start = new LoopBarrier(3).withName("start");
 * // in each of 3 tasks:
 * int index = start.await();   // 0, 1, 2 in arrival order
 * }</pre>
 *
 * <p>Parties that come while the last round drains wait for it to end. {@link #abort()} breaks the barrier:
 * waiting and later parties fail with {@link BrokenBarrierException} until {@link #reset()}. A party cancelled
 * while it waits leaves, and the barrier waits for another.
 *
 * <p><b>Loop and threads.</b> Not thread-safe: use it on its loop's thread. It binds to the running loop at the
 * first {@link #await()} that must wait and refuses waits on another loop afterwards ({@code "is bound to a
 * different event loop"}). Unlike asyncio's, {@link #reset()} and {@link #abort()} do not suspend, so callbacks
 * may call them too.
 *
 * @since 0.1.0
 */
public final class LoopBarrier {

    private enum State {
        FILLING,
        DRAINING,
        RESETTING,
        BROKEN
    }

    private final int parties;
    private final LoopBinding binding = new LoopBinding(this);
    private final WaitList waiters = new WaitList(binding);
    private volatile String name;
    private State state = State.FILLING;
    private int count;

    /**
     * Creates a barrier.
     *
     * @param parties how many parties each round waits for; one or more
     * @throws IllegalArgumentException if {@code parties} is less than one
     */
    public LoopBarrier(int parties) {
        if (parties < 1) {
            throw new IllegalArgumentException("parties must be > 0, but parties was " + parties);
        }
        this.parties = parties;
    }

    /**
     * Names the barrier for messages and for leak and hang reports. Safe from any thread.
     *
     * @param name the name; must not be {@code null}
     * @return this barrier
     * @throws NullPointerException if {@code name} is {@code null}
     */
    public LoopBarrier withName(String name) {
        this.name = Names.require(name);
        return this;
    }

    /**
     * The barrier's name.
     *
     * @return the name given to {@link #withName}, or {@code null}
     */
    public String name() {
        return name;
    }

    /**
     * Waits until all parties have arrived. Coroutines only, when it must wait (all but the last party).
     *
     * @return this party's arrival index in its round, from {@code 0} to {@code parties() - 1}
     * @throws BrokenBarrierException if the barrier is broken, or is aborted or reset while this waits
     * @throws IllegalStateException if it must wait outside a coroutine, or on another loop than the barrier's
     * @throws java.util.concurrent.CancellationException if the calling task is cancelled while it waits
     */
    public int await() throws BrokenBarrierException {
        while (state == State.DRAINING || state == State.RESETTING) {
            waitForChange("await");
        }
        if (state == State.BROKEN) {
            throw new BrokenBarrierException("Barrier aborted: " + this + " is broken; reset() it to use it again");
        }
        int index = count++;
        try {
            if (index + 1 == parties) {
                state = State.DRAINING;
                waiters.wakeAll();
            } else {
                while (state == State.FILLING) {
                    waitForChange("await");
                }
                if (state == State.BROKEN || state == State.RESETTING) {
                    throw new BrokenBarrierException("Abort or reset of barrier: " + this + " was "
                            + (state == State.BROKEN ? "aborted" : "reset") + " while this party waited");
                }
            }
            return index;
        } finally {
            count--;
            if (count == 0) {
                if (state == State.RESETTING || state == State.DRAINING) {
                    state = State.FILLING;
                }
                waiters.wakeAll();
            }
        }
    }

    /** Waits for any change of state; every change wakes every waiter, which checks again. */
    private void waitForChange(String operation) {
        Object waiter = waiters.add(Names.call(this, operation));
        waiters.await(waiter, this::describeState);
    }

    private String describeState() {
        String now = state == State.FILLING
                ? count + " of " + parties + " parties arrived"
                : state.name().toLowerCase(java.util.Locale.ROOT);
        return this + " (" + now + ")";
    }

    /**
     * Returns the barrier to its empty state; parties waiting fail with {@link BrokenBarrierException}. Works
     * anywhere.
     */
    public void reset() {
        state = count > 0 ? State.RESETTING : State.FILLING;
        waiters.wakeAll();
    }

    /** Breaks the barrier: waiting and later parties fail with {@link BrokenBarrierException}. Works anywhere. */
    public void abort() {
        state = State.BROKEN;
        waiters.wakeAll();
    }

    /**
     * How many parties each round waits for.
     *
     * @return the parties
     */
    public int parties() {
        return parties;
    }

    /**
     * How many parties wait in the round that fills now.
     *
     * @return the number waiting, {@code 0} while a round drains
     */
    public int waiting() {
        return state == State.FILLING ? count : 0;
    }

    /**
     * Tells whether the barrier is broken.
     *
     * @return {@code true} after {@link #abort()}, until {@link #reset()}
     */
    public boolean broken() {
        return state == State.BROKEN;
    }

    /**
     * Names the barrier: {@code LoopBarrier 'start'}, or {@code LoopBarrier@1b6d3586} when unnamed.
     *
     * @return the name for messages
     */
    @Override
    public String toString() {
        return Names.of("LoopBarrier", name, this);
    }
}
