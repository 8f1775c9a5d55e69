package dev.loopharness.internal;

import dev.loopharness.Handle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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

    /** Cleared on cancel, so a cancelled handle holds on to nothing. */
    private volatile Runnable callback;

    /** The loop whose {@code cancel} rules apply; {@code null} for the incoming queue's stub node. */
    final DefaultEventLoop loop;

    /** Where the handle was created, recorded in debug mode only. */
    final StackTraceElement createdAt;

    /** Who scheduled it (a test, under the extension), when the loop tags its work; else {@code null}. */
    Object tag;

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
        this.createdAt = createdAt;
    }

    /** Runs the callback unless the handle was cancelled. Exceptions propagate to the loop. */
    final void run() {
        Runnable target = callback;
        if (target != null) {
            target.run();
        }
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
        if (callback != null) {
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

    @Override
    public String toString() {
        return describe("Handle");
    }

    final String describe(String kind) {
        Runnable target = callback;
        StringBuilder text = new StringBuilder("<").append(kind);
        text.append(target == null ? " cancelled" : " " + CallbackNames.describe(target));
        if (createdAt != null) {
            text.append(" created at ").append(StackFrames.format(createdAt));
        }
        return text.append('>').toString();
    }
}
