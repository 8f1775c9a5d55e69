package dev.loopharness;

import java.util.Optional;

/**
 * Thrown when a closed {@link EventLoop} is asked to schedule, run or create anything: Python's {@code
 * RuntimeError: Event loop is closed}, with what Python's message never tells you: who closed the loop, and
 * where.
 *
 * <p>The message begins {@code "Event loop is closed"}, then names the frame that called {@link
 * EventLoop#close()}, the thread it ran on and, under the JUnit extension, the test that was running. In
 * debug mode the whole stack of the {@code close()} call is attached as this exception's cause.
 *
 * @since 0.1.0
 */
public class EventLoopClosedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** The frame that called {@code close()}, where known. */
    private final transient StackTraceElement closedAt;

    /** Who closed the loop: a thread, or a test under the extension. */
    private final String closedBy;

    /**
     * Creates the exception.
     *
     * @param message the whole message; should begin with {@code "Event loop is closed"}
     * @param closedAt the frame that called {@code close()}, or {@code null} if unknown
     * @param closedBy who closed the loop (a thread or a test), or {@code null} if unknown
     * @param closeStack the stack of the {@code close()} call, or {@code null}
     */
    public EventLoopClosedException(String message, StackTraceElement closedAt, String closedBy, Throwable closeStack) {
        super(message, closeStack);
        this.closedAt = closedAt;
        this.closedBy = closedBy;
    }

    /**
     * The frame that called {@link EventLoop#close()}: the first frame outside this library.
     *
     * @return the frame, or empty if it is not known (after deserialization, say)
     */
    public Optional<StackTraceElement> closedAt() {
        return Optional.ofNullable(closedAt);
    }

    /**
     * Who closed the loop: {@code thread "main"}, or under the JUnit extension the test that was running.
     *
     * @return a description, or empty if it is not known
     */
    public Optional<String> closedBy() {
        return Optional.ofNullable(closedBy);
    }
}
