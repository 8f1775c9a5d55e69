package dev.loopharness;

import dev.loopharness.internal.Arguments;
import java.util.Optional;

/**
 * What an {@link ExceptionHandler} is told: asyncio's context dictionary, typed. Immutable; build one with
 * {@link #of(String, Throwable)} and refine it with {@link #withTask(Task)} and {@link #withHandle(Handle)}.
 *
 * @since 0.1.0
 */
public final class ExceptionContext {

    private final String message;
    private final Throwable exception;
    private final Task<?> task;
    private final Handle handle;

    private ExceptionContext(String message, Throwable exception, Task<?> task, Handle handle) {
        this.message = Arguments.notNull(message, "message");
        this.exception = exception;
        this.task = task;
        this.handle = handle;
    }

    /**
     * Creates a context.
     *
     * @param message what happened, in a sentence; must not be {@code null}
     * @param exception the exception, or {@code null} for a report without one (a slow callback, say)
     * @return a context with neither task nor handle
     * @throws NullPointerException if {@code message} is {@code null}
     */
    public static ExceptionContext of(String message, Throwable exception) {
        return new ExceptionContext(message, exception, null, null);
    }

    /**
     * Returns a copy of this context that names the task concerned.
     *
     * @param task the task; must not be {@code null}
     * @return a new context
     * @throws NullPointerException if {@code task} is {@code null}
     */
    public ExceptionContext withTask(Task<?> task) {
        return new ExceptionContext(message, exception, Arguments.notNull(task, "task"), handle);
    }

    /**
     * Returns a copy of this context that names the handle concerned.
     *
     * @param handle the handle; must not be {@code null}
     * @return a new context
     * @throws NullPointerException if {@code handle} is {@code null}
     */
    public ExceptionContext withHandle(Handle handle) {
        return new ExceptionContext(message, exception, task, Arguments.notNull(handle, "handle"));
    }

    /**
     * What happened, in a sentence.
     *
     * @return the message, never {@code null}
     */
    public String message() {
        return message;
    }

    /**
     * The exception reported.
     *
     * @return the exception, or {@code null} for a report that carries none
     */
    public Throwable exception() {
        return exception;
    }

    /**
     * The task concerned, where there is one.
     *
     * @return the task, or empty
     */
    public Optional<Task<?>> task() {
        return Optional.ofNullable(task);
    }

    /**
     * The handle concerned, where there is one: the callback that threw, say.
     *
     * @return the handle, or empty
     */
    public Optional<Handle> handle() {
        return Optional.ofNullable(handle);
    }

    /**
     * A one-line description: the message, then the exception, task and handle where present.
     *
     * @return the description
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(message);
        if (exception != null) {
            text.append("\n  exception: ").append(exception);
        }
        if (task != null) {
            text.append("\n  task: ").append(task);
        }
        if (handle != null) {
            text.append("\n  handle: ").append(handle);
        }
        return text.toString();
    }
}
