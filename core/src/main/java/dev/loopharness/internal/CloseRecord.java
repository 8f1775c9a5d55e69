package dev.loopharness.internal;

import dev.loopharness.EventLoopClosedException;

/**
 * Who closed a loop and where: the frame that called {@code close()}, its thread, what was running (a test,
 * under the JUnit extension) and, in debug mode, the whole stack. Taken once per loop, when it closes, so the
 * hot path pays nothing.
 */
public final class CloseRecord {

    private final String loopName;
    private final StackTraceElement frame;
    private final String threadName;
    private final String activity;
    private final Throwable stack;

    private CloseRecord(String loopName, StackTraceElement frame, String threadName, String activity, Throwable stack) {
        this.loopName = loopName;
        this.frame = frame;
        this.threadName = threadName;
        this.activity = activity;
        this.stack = stack;
    }

    static CloseRecord capture(String loopName, boolean withStack, String activity) {
        Throwable stack = withStack ? new ClosedHere(loopName) : null;
        return new CloseRecord(
                loopName,
                CallSites.caller().orElse(null),
                Thread.currentThread().getName(),
                activity,
                stack);
    }

    /** The record of a loop that its owner closed when the owner's scope ended: no frame, no stack. */
    static CloseRecord byOwner(String loopName, String ownerDescription) {
        return new CloseRecord(
                loopName, null, Thread.currentThread().getName(), ownerDescription + " when its scope ended", null);
    }

    /**
     * Who closed the loop, for people: the test under the extension, else the thread.
     *
     * @return for example {@code test "FooTest.bar()"} or {@code thread "main"}
     */
    public String closedBy() {
        return activity != null ? activity : "thread \"" + threadName + "\"";
    }

    /**
     * The frame that called {@code close()}.
     *
     * @return the frame, or {@code null} if every frame belonged to the library
     */
    public StackTraceElement frame() {
        return frame;
    }

    /**
     * The exception a call on the closed loop receives.
     *
     * @return a new exception
     */
    public EventLoopClosedException exception() {
        StringBuilder message =
                new StringBuilder("Event loop is closed: ").append(loopName).append(" was closed");
        if (frame != null) {
            message.append(" at ").append(StackFrames.format(frame));
        }
        message.append(" by ").append(closedBy());
        if (activity != null) {
            message.append(" on thread \"").append(threadName).append('"');
        }
        message.append(". A closed loop cannot be used again: create a fresh loop per unit of work"
                + " (EventLoops.newEventLoop() or EventLoops.run(...)), or in tests use @WithEventLoop.");
        return new EventLoopClosedException(message.toString(), frame, closedBy(), stack);
    }

    /** The stack of the {@code close()} call, attached as the cause in debug mode. */
    private static final class ClosedHere extends Exception {
        private static final long serialVersionUID = 1L;

        ClosedHere(String loopName) {
            super(loopName + " was closed here");
        }
    }
}
