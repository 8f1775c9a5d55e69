package dev.loopharness;

import java.util.List;

/**
 * Structured concurrency for coroutines, like asyncio's {@code TaskGroup}: tasks created in the group are
 * awaited together when the group ends, and a failing task cancels its siblings. It comes in two forms.
 *
 * <p><b>The scope form</b>, {@link Async#taskGroup(Body)}, is asyncio's {@code async with TaskGroup()}:
 *
 * <pre>{@code
 * List<Task<Price>> quotes = Async.taskGroup(group -> List.of(
 *         group.createTask(() -> fetch("a")),
 *         group.createTask(() -> fetch("b"))));
 * }</pre>
 *
 * A task that fails with anything but a cancellation cancels every other task of the group and the body too
 * (at its next suspension); a body that throws cancels the tasks. The scope then waits for every task and throws
 * a {@link TaskGroupException} with every failure, the body's included, in the order they happened; an {@link
 * Error} is thrown as itself instead. Cancelling the task that runs the scope cancels the group's tasks, and the
 * cancellation goes on once they are done. No task of the group outlives the scope.
 *
 * <p><b>The try-with-resources form</b>, {@link Async#taskGroup()}, is for simple cases:
 *
 * <pre>{@code
 * try (TaskGroup group = Async.taskGroup()) {
 *     group.createTask(() -> fetch("a"));
 *     group.createTask(() -> fetch("b"));
 * } // waits here for both; throws TaskGroupException if any failed
 * }</pre>
 *
 * Its limits come from {@link #close()}, which cannot see how the block ended: the code inside the {@code try}
 * block is not interrupted by a failing task, it runs on to the end of the block, where {@code close()} reports.
 * If that code throws, {@code close()} still waits for the group's tasks before the exception goes on (the
 * group's failure is then suppressed in it); cancel them first with {@link #cancelAll()} where that matters. If
 * the owner was cancelled while the block ran (its {@link Task#cancelling()} rose since the group opened), {@code
 * close()} cancels the group's tasks before it waits.
 *
 * <p>Use a group only from coroutines of the loop it was created on.
 *
 * @since 0.1.0
 * @see Async#taskGroup(Body)
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
     *     tasks after a failure or a cancellation ({@code "TaskGroup is shutting down"}). The scope form accepts
     *     new tasks while it waits for its tasks after its body returned, as asyncio does, until they are done
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
     * included. For the try-with-resources form only: the scope form's group refuses it.
     *
     * @throws TaskGroupException if any task failed with anything but a cancellation; it holds every failure
     * @throws java.util.concurrent.CancellationException if the waiting coroutine itself was cancelled; the
     *     group's tasks are cancelled and waited for first
     * @throws IllegalStateException on the group of {@link Async#taskGroup(Body)}, which closes by itself
     */
    @Override
    void close();

    /**
     * The body of {@link Async#taskGroup(Body)}.
     *
     * @param <T> the type of its result
     * @since 0.1.0
     */
    @FunctionalInterface
    interface Body<T> {

        /**
         * Runs the body, in the current task; the tasks it creates in the group run concurrently with it.
         *
         * @param group the group
         * @return the result, may be {@code null}
         * @throws Exception any failure, which cancels the group's tasks and joins their failures
         * @since 0.1.0
         */
        T run(TaskGroup group) throws Exception;
    }
}
