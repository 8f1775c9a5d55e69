package dev.loopharness.internal;

import dev.loopharness.EventLoop;

/**
 * The per-thread state of asyncio's event loop policy: the loop running on a thread (the loop's own thread and
 * its tasks' threads) and the thread's default loop ({@code get_event_loop()}/{@code set_event_loop()}).
 */
public final class CurrentLoop {

    private static final ThreadLocal<DefaultEventLoop> RUNNING = new ThreadLocal<>();
    private static final ThreadLocal<EventLoop> DEFAULT = new ThreadLocal<>();

    private CurrentLoop() {}

    /**
     * The loop running on this thread: the loop whose callbacks or tasks this thread runs.
     *
     * @return the loop, or {@code null}
     */
    public static DefaultEventLoop running() {
        return RUNNING.get();
    }

    static DefaultEventLoop enter(DefaultEventLoop loop) {
        DefaultEventLoop previous = RUNNING.get();
        RUNNING.set(loop);
        return previous;
    }

    static void exit(DefaultEventLoop previous) {
        if (previous == null) {
            RUNNING.remove();
        } else {
            RUNNING.set(previous);
        }
    }

    /**
     * This thread's default loop.
     *
     * @return the loop set, or {@code null}
     */
    public static EventLoop defaultLoop() {
        return DEFAULT.get();
    }

    /**
     * Sets or clears this thread's default loop.
     *
     * @param loop the loop, or {@code null}
     */
    public static void setDefaultLoop(EventLoop loop) {
        if (loop == null) {
            DEFAULT.remove();
        } else {
            DEFAULT.set(loop);
        }
    }
}
