package dev.loopharness;

import java.util.List;

/**
 * Structured concurrency for coroutines, like asyncio's {@code TaskGroup}: tasks created in the group are
 * awaited together when the group closes, and a failing task cancels its siblings.
 *
 * <pre>{@code
 * try (TaskGroup group = Async.taskGroup()) {
 *     group.createTask(() -> fetch("a"));
 *     group.createTask(() -> fetch("b"));
 * } // waits here for both; throws TaskGroupException if any failed
 * }</pre>
 *
 * <p>When a task of the group fails with anything but a cancellation, every other task of the group is
 * cancelled, and {@link #close()} throws a {@link TaskGroupException} that keeps every failure, not just the
 * first. The code inside the {@code try} block is not interrupted by a failing task: it runs on to the end of
 * the block, where {@code close()} reports. If that code throws, {@code close()} still waits for the group's
 * tasks before the exception goes on; cancel them first with {@link #cancelAll()} where that matters.
 *
 * <p>Use a group only from coroutines of the loop it was created on.
 *
 * @since 0.1.0
 * @see Async#taskGroup()
 */
public interface TaskGroup extends AutoCloseable {

    /**
     * Creates a task in the group.
     *
     * @param <T> the type of the result
     * @param coroutine the coroutine; must not be {@code null}
     * @return the task, already scheduled
     * @throws NullPointerException if {@code coroutine} is {@code null}
     * @throws IllegalStateException if the group is closed ({@code "TaskGroup is finished"}) or cancelling its
     *     tasks after a failure ({@code "TaskGroup is shutting down"})
     */
    <T> Task<T> createTask(Coroutine<T> coroutine);

    /**
     * Creates a named task in the group.
     *
     * @param <T> the type of the result
     * @param name the task's name; must not be {@code null}
     * @param coroutine the coroutine; must not be {@code null}
     * @return the task, already scheduled
     * @throws NullPointerException if {@code name} or {@code coroutine} is {@code null}
     * @throws IllegalStateException if the group is closed or shutting down
     */
    <T> Task<T> createTask(String name, Coroutine<T> coroutine);

    /**
     * The tasks created in the group so far, in creation order.
     *
     * @return a snapshot
     */
    List<Task<?>> tasks();

    /** Cancels every task of the group that is not done yet. The group then refuses new tasks. */
    void cancelAll();

    /**
     * Waits, suspending the current coroutine, until every task of the group is done, tasks created meanwhile
     * included.
     *
     * @throws TaskGroupException if any task failed with anything but a cancellation; it holds every failure
     * @throws java.util.concurrent.CancellationException if the waiting coroutine itself was cancelled; the
     *     group's tasks are cancelled and waited for first
     */
    @Override
    void close();
}
