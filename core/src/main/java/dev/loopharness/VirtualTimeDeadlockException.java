package dev.loopharness;

/**
 * Thrown out of {@link EventLoop#runUntilComplete} and {@link EventLoop#runForever()} when a loop on a {@link
 * VirtualClock} can never make progress: nothing is ready, no timer is set, no work is in flight on other
 * threads, and a coroutine still waits. Its message lists each waiting task, where it was created and the frame
 * where it waits. The loop stays usable: its tasks are still pending and may be cancelled, or the loop closed.
 *
 * @since 0.1.0
 * @see VirtualClock#setDeadlockGrace(java.time.Duration)
 */
public class VirtualTimeDeadlockException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the message, with the waiting tasks
     */
    public VirtualTimeDeadlockException(String message) {
        super(message);
    }
}
