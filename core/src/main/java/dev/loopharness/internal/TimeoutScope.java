package dev.loopharness.internal;

import dev.loopharness.Handle;
import dev.loopharness.Timeout;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * asyncio's {@code Timeout}: at the deadline it cancels its task and, when the body ends with that cancellation,
 * throws a {@link TimeoutException} instead. It counts on the task's cancellation requests ({@link
 * TaskImpl#cancelling()}) to tell its own cancellation from one meant for an outer scope: it withdraws its own
 * with {@code uncancel()} and converts only if no other request is left beyond those seen on entry.
 */
final class TimeoutScope implements Timeout {

    private enum State {
        ENTERED,
        EXPIRING,
        EXPIRED,
        EXITED
    }

    private final TaskImpl<?> task;
    private final int cancellingOnEntry;
    private State state = State.ENTERED;
    private long when = Long.MAX_VALUE;
    private Handle timer;

    private TimeoutScope(TaskImpl<?> task) {
        this.task = task;
        this.cancellingOnEntry = task.cancelling();
    }

    /**
     * Runs a body under a deadline, in the current task.
     *
     * @param task the current task
     * @param deadlineNanos the deadline in loop time, {@link Long#MAX_VALUE} for none
     * @param body the body
     * @return the body's result
     * @throws Exception the body's failure; {@link TimeoutException} if the deadline cancelled it
     */
    static <T> T run(TaskImpl<?> task, long deadlineNanos, Body<T> body) throws Exception {
        TimeoutScope scope = new TimeoutScope(task);
        scope.reschedule(deadlineNanos);
        T result;
        try {
            result = body.run(scope);
        } catch (Throwable failure) {
            throw scope.exit(failure);
        }
        scope.exit(null);
        return result;
    }

    /** Ends the scope; returns what the caller must throw (the failure, or a timeout), or null if none. */
    private RuntimeException exit(Throwable failure) throws TimeoutException {
        cancelTimer();
        if (state == State.EXPIRING) {
            state = State.EXPIRED;
            if (task.uncancel() <= cancellingOnEntry && failure instanceof CancellationException) {
                TimeoutException timedOut = new TimeoutException("Async.timeout(): the deadline at loop time "
                        + Durations.seconds(when) + " s passed before the body completed; it was cancelled");
                timedOut.initCause(failure);
                throw timedOut;
            }
        } else if (state == State.ENTERED) {
            state = State.EXITED;
        }
        return failure == null ? null : Throwables.sneakyThrow(failure);
    }

    @Override
    public long when() {
        return when;
    }

    @Override
    public void reschedule(long deadlineNanos) {
        task.loop.checkThread("Timeout.reschedule");
        if (state != State.ENTERED) {
            throw new IllegalStateException(
                    "Cannot change state of " + state.name().toLowerCase(java.util.Locale.ROOT) + " Timeout");
        }
        cancelTimer();
        when = deadlineNanos;
        if (deadlineNanos <= task.loop.time()) {
            // ahead of the callbacks already ready, as asyncio does: a body that only yields still expires
            timer = task.loop.callSoon(this::expire);
        } else if (deadlineNanos != Long.MAX_VALUE) {
            timer = task.loop.callAt(deadlineNanos, this::expire);
        }
    }

    @Override
    public boolean expired() {
        return state == State.EXPIRING || state == State.EXPIRED;
    }

    private void expire() {
        timer = null;
        state = State.EXPIRING;
        task.requestCancel(null);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    @Override
    public String toString() {
        String deadline = state == State.ENTERED && when != Long.MAX_VALUE ? " when=" + Durations.seconds(when) : "";
        return "<Timeout [" + state.name().toLowerCase(java.util.Locale.ROOT) + "]" + deadline + ">";
    }
}
