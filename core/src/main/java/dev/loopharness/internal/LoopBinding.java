package dev.loopharness.internal;

/**
 * The loop a queue or synchronization primitive belongs to: asyncio's lazy binding. The primitive binds to the
 * running loop at the first call that must wait, and refuses waits on any other loop afterwards.
 */
public final class LoopBinding {

    private final Object owner;
    private DefaultEventLoop loop;

    /**
     * Creates an unbound binding.
     *
     * @param owner the primitive, whose {@code toString()} names it in messages
     */
    public LoopBinding(Object owner) {
        this.owner = owner;
    }

    /**
     * Binds to the calling coroutine's loop, or checks that it is the bound one.
     *
     * @param operation the primitive's method, for the message when called outside a coroutine
     * @return the calling task
     * @throws IllegalStateException outside a coroutine, or on another loop than the bound one
     */
    TaskImpl<?> bind(String operation) {
        TaskImpl<?> task = TaskImpl.current();
        if (task == null) {
            DefaultEventLoop running = CurrentLoop.running();
            throw new IllegalStateException(operation + "() must wait, so it must be called inside a coroutine,"
                    + (running != null
                            ? " but it was called from a callback of " + running + ", and callbacks cannot suspend"
                            : " but thread \"" + Thread.currentThread().getName() + "\" runs none")
                    + "; the non-waiting forms work anywhere");
        }
        if (loop == null) {
            loop = task.loop;
        } else if (loop != task.loop) {
            throw new IllegalStateException(owner + " is bound to a different event loop: it first waited on " + loop
                    + ", not on " + task.loop + "; make one per loop");
        }
        return task;
    }
}
