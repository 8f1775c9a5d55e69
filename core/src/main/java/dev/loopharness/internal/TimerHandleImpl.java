package dev.loopharness.internal;

import dev.loopharness.TimerHandle;

/**
 * A callback due at a point in loop time, ordered by (firing time, sequence) in the {@link TimerQueue}. The firing
 * time is the deadline asked for, unless an explored schedule makes the timer late ({@link SeededSchedule}).
 */
final class TimerHandleImpl extends ReadyHandle implements TimerHandle {

    /** When the timer fires: its deadline, or later under an explored schedule. */
    final long when;

    final long sequence;

    /** The deadline asked for, which {@link #when()} reports. */
    private final long deadline;

    /** Whether the timer sits in the timer queue: only then does its cancel count for compaction. */
    boolean scheduled;

    TimerHandleImpl(DefaultEventLoop loop, Runnable callback, StackTraceElement createdAt, long when, long sequence) {
        this(loop, callback, createdAt, when, when, sequence);
    }

    TimerHandleImpl(
            DefaultEventLoop loop,
            Runnable callback,
            StackTraceElement createdAt,
            long deadline,
            long firesAt,
            long sequence) {
        super(loop, callback, createdAt);
        this.deadline = deadline;
        this.when = firesAt;
        this.sequence = sequence;
    }

    @Override
    public long when() {
        return deadline;
    }

    @Override
    void cancelled() {
        if (scheduled) {
            loop.timers.cancelled();
        }
    }

    boolean isBefore(TimerHandleImpl other) {
        return when < other.when || (when == other.when && sequence < other.sequence);
    }

    @Override
    String describe(Runnable target) {
        return describe("TimerHandle when=" + when, target);
    }
}
