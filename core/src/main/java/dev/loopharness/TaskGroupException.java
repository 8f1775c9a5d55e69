package dev.loopharness;

import java.util.List;

/**
 * Thrown by {@link TaskGroup#close()} when tasks of the group failed: asyncio's {@code ExceptionGroup}. Holds
 * every failure, in the order they happened; each is also attached as a suppressed exception, so that a stack
 * trace shows all of them.
 *
 * @since 0.1.0
 */
public class TaskGroupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The failures, in order; not serialized (a deserialized exception answers from its suppressed ones). */
    private final transient List<Throwable> exceptions;

    /**
     * Creates the exception.
     *
     * @param message the message
     * @param exceptions the failures; must not be {@code null} or empty
     */
    @SuppressWarnings("this-escape") // addSuppressed is final in Throwable's contract; no subclass state is read
    public TaskGroupException(String message, List<Throwable> exceptions) {
        super(message, exceptions.get(0));
        this.exceptions = List.copyOf(exceptions);
        for (Throwable exception : this.exceptions) {
            addSuppressed(exception);
        }
    }

    /**
     * Every failure of the group's tasks, in the order they happened.
     *
     * @return an unmodifiable list, never empty
     */
    public List<Throwable> exceptions() {
        return exceptions != null ? exceptions : List.of(getSuppressed());
    }
}
