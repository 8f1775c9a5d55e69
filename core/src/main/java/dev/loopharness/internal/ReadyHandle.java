package dev.loopharness.internal;

import dev.loopharness.Handle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;

/**
 * A callback waiting in the loop's ready queue. It doubles as the node of the loop's {@link IncomingQueue},
 * so that a callback scheduled from another thread costs one allocation.
 */
class ReadyHandle implements Handle {

    private static final VarHandle NEXT;
    private static final VarHandle CALLBACK;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            NEXT = lookup.findVarHandle(ReadyHandle.class, "next", ReadyHandle.class);
            CALLBACK = lookup.findVarHandle(ReadyHandle.class, "callback", Runnable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The callback of a handle that has run: it holds on to nothing once it ran, and is not cancelled. */
    private static final Runnable RAN = () -> {};

    /**
     * The callback while the handle waits; {@link #RAN} once it ran (unless {@link #reusable}); {@code null} once
     * cancelled, by a caller or by the closing loop that dropped it. A handle kept by a caller holds on to nothing
     * after either.
     */
    private volatile Runnable callback;

    /** The loop whose {@code cancel} rules apply; {@code null} for the incoming queue's stub node. */
    final DefaultEventLoop loop;

    /**
     * Where the handle was created (debug mode) and who scheduled it (when the loop tags its work), or {@code
     * null} for neither: one field for the two, so that a handle of a loop that does neither stays small.
     */
    private Origin origin;

    /** The context variables' values when it was scheduled; {@code null} if none (see {@link Contexts}). */
    final Map<Object, Object> context;

    /**
     * The next node of the incoming queue, written once by a producer with a release store, which publishes
     * the handle's plainly written fields to the loop's acquiring read. Waking the loop does not depend on it:
     * see {@link IncomingQueue}.
     */
    @SuppressWarnings("unused") // accessed through NEXT
    private volatile ReadyHandle next;

    ReadyHandle(DefaultEventLoop loop, Runnable callback, StackTraceElement createdAt) {
        this.loop = loop;
        // A plain write: a volatile one would cost a full fence per callback. The handle reaches other threads
        // only through the incoming queue's atomic exchange and volatile link, or through the loop's own
        // hand-offs between threads, which publish it.
        CALLBACK.set(this, callback);
        this.origin = createdAt == null ? null : new Origin(createdAt);
        this.context = Contexts.capture();
    }

    /**
     * Takes the callback to run now: {@code null} if the handle was cancelled or ran already. The handle lets go
     * of it (unless it is a task's {@link TaskStep}, which runs once per step and keeps its callback), so a handle kept by a caller holds on to nothing once it ran: a
     * release store, no fence, as only the loop's thread runs handles and a thread that later asks whether it
     * ran is ordered after it by the loop's state.
     */
    final Runnable take() {
        Runnable target = callback;
        if (target == null || target == RAN) {
            return null;
        }
        if (!(this instanceof TaskStep)) {
            CALLBACK.setRelease(this, RAN);
        }
        return target;
    }

    /**
     * Cancels a handle that the closing loop drops, without the debug thread check: the closing thread may be
     * any thread, and nothing else touches the handle once the loop is closed.
     *
     * @return whether it was still waiting to run
     */
    final boolean drop() {
        Runnable target = callback;
        if (target == null || target == RAN) {
            return false;
        }
        callback = null;
        return true;
    }

    /**
     * Withdraws a handle that another thread posted while the loop closed: cancels it unless it ran. Races only
     * with {@link #drop()}, which cancels too.
     *
     * @return whether it ran
     */
    final boolean withdrawUnlessRan() {
        Runnable target = callback;
        if (target != null && target != RAN && CALLBACK.compareAndSet(this, target, null)) {
            return false;
        }
        return callback == RAN;
    }

    /** The callback, or {@code null} once cancelled. */
    final Runnable callback() {
        return callback;
    }

    @Override
    public void cancel() {
        if (loop != null) {
            loop.checkThread("Handle.cancel");
        }
        Runnable target = callback;
        if (target == RAN) {
            callback = null;
        } else if (target != null) {
            callback = null;
            cancelled();
        }
    }

    /** Called after a cancel; timers count themselves so that the loop can compact its timer queue. */
    void cancelled() {}

    @Override
    public final boolean isCancelled() {
        return callback == null;
    }

    final ReadyHandle nextIncoming() {
        return (ReadyHandle) NEXT.getAcquire(this);
    }

    final void linkIncoming(ReadyHandle successor) {
        NEXT.setRelease(this, successor);
    }

    /** Forgets the successor once the consumer has moved past this node, so a kept handle holds no later ones. */
    final void unlinkIncoming() {
        NEXT.setRelease(this, null);
    }

    @Override
    public final String toString() {
        return describe(callback);
    }

    /**
     * Describes the handle as if it held {@code target}: a handle that ran has let go of its callback, and a
     * report of its failure or slowness must still name it.
     */
    String describe(Runnable target) {
        return describe("Handle", target);
    }

    final String describe(String kind, Runnable target) {
        StringBuilder text = new StringBuilder("<").append(kind);
        text.append(target == null ? " cancelled" : target == RAN ? " done" : " " + CallbackNames.describe(target));
        StackTraceElement createdAt = createdAt();
        if (createdAt != null) {
            text.append(" created at ").append(StackFrames.format(createdAt));
        }
        return text.append('>').toString();
    }

    /** Where the handle was created, recorded in debug mode only; else {@code null}. */
    final StackTraceElement createdAt() {
        Origin known = origin;
        return known == null ? null : known.createdAt;
    }

    /** Who scheduled it (a test, under the extension), when the loop tags its work; else {@code null}. */
    final Object tag() {
        Origin known = origin;
        return known == null ? null : known.tag;
    }

    /** Records who scheduled it; confined to the thread that schedules it, before it is queued. */
    final void tag(Object tag) {
        if (origin == null) {
            if (tag == null) {
                return;
            }
            origin = new Origin(null);
        }
        origin.tag = tag;
    }

    /** Where a handle was created and who scheduled it. */
    private static final class Origin {
        final StackTraceElement createdAt;
        Object tag;

        Origin(StackTraceElement createdAt) {
            this.createdAt = createdAt;
        }
    }
}
