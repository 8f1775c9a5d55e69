package dev.loopharness;

/**
 * The source of an {@link EventLoop}'s time: a monotonic reading in nanoseconds. The loop reads it for
 * {@link EventLoop#time()} and to decide which timers are due.
 *
 * <p>Use {@link #system()} for real time or a {@link VirtualClock} for time that moves only when the loop
 * jumps it to the next timer or a test advances it.
 *
 * @since 0.1.0
 */
public interface LoopClock {

    /**
     * The current reading. Must never decrease, and must be safe to call from any thread.
     *
     * @return nanoseconds from an arbitrary, fixed origin
     */
    long nanoTime();

    /**
     * The real, monotonic clock of this JVM ({@link System#nanoTime()}).
     *
     * @return the shared system clock
     */
    static LoopClock system() {
        return SystemLoopClock.INSTANCE;
    }
}
