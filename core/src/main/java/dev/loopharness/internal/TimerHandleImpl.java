package dev.loopharness.internal;

import dev.loopharness.TimerHandle;

/** A callback due at a point in loop time, ordered by (deadline, sequence) in the {@link TimerQueue}. */
final class TimerHandleImpl extends ReadyHandle implements TimerHandle {

    final long when;
    final long sequence;

    /** Whether the timer sits in the timer queue: only then does its cancel count for compaction. */
    boolean scheduled;

    TimerHandleImpl(DefaultEventLoop loop, Runnable callback, StackTraceElement createdAt, long when, long sequence) {
        super(loop, callback, createdAt);
        this.when = when;
        this.sequence = sequence;
    }

    @Override
    public long when() {
        return when;
    }

    @Override
    void cancelled() {
        if (scheduled) {
            loop.timers().cancelled();
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
