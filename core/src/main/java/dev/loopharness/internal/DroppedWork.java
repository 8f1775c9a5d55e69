package dev.loopharness.internal;

import java.lang.System.Logger.Level;

/**
 * What a closing loop dropped without running, counted so that a caller can know: asyncio drops its ready queue
 * silently, and a callback accepted and then lost is the hardest kind of bug to see. Written by the closing
 * thread only, read after {@code close()} returned.
 */
public final class DroppedWork {

    private static final System.Logger LOGGER = System.getLogger("dev.loopharness");

    int callbacks;
    int timers;
    int fromOtherThreads;
    int viewTasks;

    DroppedWork() {}

    /**
     * Callbacks scheduled on the loop's thread ({@code callSoon}, done callbacks) that were ready to run.
     *
     * @return the count
     */
    public int callbacks() {
        return callbacks;
    }

    /**
     * Timers not yet due.
     *
     * @return the count
     */
    public int timers() {
        return timers;
    }

    /**
     * Callbacks posted from other threads ({@code callSoonThreadsafe}, {@code execute}) before the close.
     *
     * @return the count
     */
    public int fromOtherThreads() {
        return fromOtherThreads;
    }

    /**
     * Tasks of the loop's scheduled-executor views (including their {@code execute}) cancelled before they ran.
     *
     * @return the count
     */
    public int viewTasks() {
        return viewTasks;
    }

    /**
     * The total of all counts.
     *
     * @return the sum
     */
    public int total() {
        return callbacks + timers + fromOtherThreads + viewTasks;
    }

    /** Logs the counts at DEBUG level when anything was dropped. */
    void log(Object loop) {
        if (total() > 0 && LOGGER.isLoggable(Level.DEBUG)) {
            LOGGER.log(Level.DEBUG, loop + " closed and dropped " + this);
        }
    }

    @Override
    public String toString() {
        return callbacks + " callbacks, " + timers + " timers, " + fromOtherThreads + " callbacks from other threads, "
                + viewTasks + " executor-view tasks";
    }
}
