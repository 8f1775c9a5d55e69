package dev.loopharness;

import dev.loopharness.internal.LoopBinding;
import dev.loopharness.internal.WaitList;

/**
 * A flag that coroutines of one loop wait for: asyncio's {@code Event}. {@link #await()} suspends the calling
 * coroutine until the flag is set; {@link #set()} wakes every waiter; {@link #clear()} lowers the flag again.
 *
 * <p><b>Loop and threads.</b> Not thread-safe: use it on its loop's thread, in coroutines and callbacks. It binds
 * to the running loop at the first {@link #await()} that must wait and refuses waits on another loop afterwards
 * ({@code "is bound to a different event loop"}). {@link #set()}, {@link #clear()} and {@link #isSet()} work
 * anywhere.
 *
 * @since 0.1.0
 */
public final class LoopEvent {

    private final LoopBinding binding = new LoopBinding(this);
    private final WaitList waiters = new WaitList(binding);
    private volatile String name;
    private boolean value;

    /** Creates an event that is not set. */
    public LoopEvent() {}

    /**
     * Names the event for messages and for leak and hang reports. Safe from any thread.
     *
     * @param name the name; must not be {@code null}
     * @return this event
     * @throws NullPointerException if {@code name} is {@code null}
     */
    public LoopEvent withName(String name) {
        this.name = Names.require(name);
        return this;
    }

    /**
     * The event's name.
     *
     * @return the name given to {@link #withName}, or {@code null}
     */
    public String name() {
        return name;
    }

    /** Sets the flag and wakes every waiter; waiters that come later return at once. */
    public void set() {
        if (!value) {
            value = true;
            waiters.wakeAll();
        }
    }

    /** Lowers the flag: later {@link #await()} calls wait again. Waiters woken already still return. */
    public void clear() {
        value = false;
    }

    /**
     * Tells whether the flag is set.
     *
     * @return {@code true} if set
     */
    public boolean isSet() {
        return value;
    }

    /**
     * Returns at once if the flag is set; otherwise waits until it is. Coroutines only, when it must wait.
     *
     * @throws IllegalStateException if it must wait outside a coroutine, or on another loop than the event's
     * @throws java.util.concurrent.CancellationException if the calling task is cancelled while it waits
     */
    public void await() {
        if (value) {
            return;
        }
        Object waiter = waiters.add(Names.call(this, "await"));
        waiters.await(waiter, () -> this + " (not set)");
    }

    /**
     * Names the event: {@code LoopEvent 'ready'}, or {@code LoopEvent@1b6d3586} when unnamed.
     *
     * @return the name for messages
     */
    @Override
    public String toString() {
        return Names.of("LoopEvent", name, this);
    }
}
