package dev.loopharness.internal;

import java.util.function.Consumer;

/**
 * What an owner of a loop (the JUnit extension) sets on it: who guards it against {@code close()} and {@code
 * stop()}, whether {@code stop()} is let through, what runs on it now, what to add to a refused nested run, and
 * who hears of a refused non-thread-safe call. Every field may be set and read from any thread.
 */
final class OwnerGuard {

    private volatile String guardedBy;
    private volatile boolean stopAllowed;
    private volatile String activity;
    private volatile String nestedRunHint;
    private volatile Consumer<IllegalStateException> confinementListener;

    void guard(String ownerDescription) {
        guardedBy = ownerDescription;
    }

    void allowStop(boolean allowed) {
        stopAllowed = allowed;
    }

    /** Refuses {@code operation} ({@code "close"} or {@code "stop"}) on a guarded loop, naming its owner. */
    void check(String operation, DefaultEventLoop loop) {
        String owner = guardedBy;
        if (owner != null && !(stopAllowed && operation.equals("stop"))) {
            throw new IllegalStateException("Cannot " + operation + " " + loop + ": it is owned by " + owner
                    + ", which closes it when its scope ends. Create a loop of your own with"
                    + " EventLoops.newEventLoop() if you need to " + operation + " one.");
        }
    }

    void setActivity(String description) {
        activity = description;
    }

    String activity() {
        return activity;
    }

    void setNestedRunHint(String hint) {
        nestedRunHint = hint;
    }

    /** The hint for a refused nested run, on a line of its own; empty if there is none. */
    String hintLine() {
        String hint = nestedRunHint;
        return hint == null ? "" : "\n" + hint;
    }

    void onConfinementViolation(Consumer<IllegalStateException> listener) {
        confinementListener = listener;
    }

    /**
     * The refusal of a non-thread-safe call from a thread other than the one that owns the running loop, which
     * the listener, if any, hears of before the caller throws it.
     *
     * @param operation the refused operation, for the message
     * @param loop the loop, for the message
     * @param owner the thread that owns the loop
     * @return the exception to throw
     */
    IllegalStateException confinementViolation(String operation, DefaultEventLoop loop, Thread owner) {
        IllegalStateException violation = new IllegalStateException("Non-thread-safe operation " + operation
                + "() invoked from thread \"" + Thread.currentThread().getName() + "\" on " + loop
                + ", which runs on thread \"" + owner.getName()
                + "\"; from other threads use callSoonThreadsafe() or execute()");
        Consumer<IllegalStateException> listener = confinementListener;
        if (listener != null) {
            listener.accept(violation);
        }
        return violation;
    }
}
