package dev.loopharness.internal;

import dev.loopharness.Coroutine;
import dev.loopharness.LoopFuture;
import dev.loopharness.Task;
import dev.loopharness.TaskGroup;
import dev.loopharness.TimerHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/** The implementation of {@code Async}: what a coroutine can do while it runs on its loop. */
public final class Coroutines {

    private Coroutines() {}

    /**
     * The task running on this thread, or an error that says how to start one.
     *
     * @param function the {@code Async} function called, for the message
     * @return the task
     */
    static TaskImpl<?> requireTask(String function) {
        TaskImpl<?> task = TaskImpl.current();
        if (task != null) {
            // before the task touches the loop: a stack overflow may have cut its last suspension short
            task.regainBaton();
            return task;
        }
        DefaultEventLoop running = CurrentLoop.running();
        if (running != null) {
            throw new IllegalStateException("Async." + function + "() must be called inside a coroutine, but it was"
                    + " called from a callback of " + running + ", and callbacks cannot suspend. Run coroutine"
                    + " code as a task: loop.createTask(() -> ...)");
        }
        throw new IllegalStateException("Async." + function + "() must be called inside a coroutine running on an"
                + " event loop, but thread \"" + Thread.currentThread().getName() + "\" runs none. Start one with"
                + " EventLoops.run(() -> ...) or loop.runUntilComplete(() -> ...)");
    }

    /**
     * The task whose coroutine runs on this thread, if any: for code that must tell a coroutine (which may
     * suspend) from a callback or a foreign thread (which may not).
     *
     * @return the task, or {@code null} outside a coroutine
     */
    public static Task<?> currentOrNull() {
        return TaskImpl.current();
    }

    /**
     * Suspends the current coroutine until the stage completes.
     *
     * @param <T> the result type
     * @param stage the stage
     * @return its result
     */
    public static <T> T await(CompletionStage<T> stage) {
        TaskImpl<?> task = requireTask("await");
        return task.await(Arguments.notNull(stage, "future"));
    }

    /**
     * Suspends the current coroutine for a duration of loop time.
     *
     * @param duration the duration; zero or negative yields once
     */
    public static void sleep(Duration duration) {
        Arguments.notNull(duration, "duration");
        TaskImpl<?> task = requireTask("sleep");
        if (duration.isZero() || duration.isNegative()) {
            task.yieldOnce();
            return;
        }
        DefaultEventLoop loop = task.loop;
        FutureImpl<Void> done = new FutureImpl<>(loop);
        TimerHandle timer = loop.callLater(duration, () -> done.complete(null));
        try {
            task.await(done);
        } finally {
            timer.cancel();
        }
    }

    /**
     * Runs coroutines concurrently as tasks and waits for all of them.
     *
     * @param <T> the result type
     * @param coroutines the coroutines
     * @return the results, in argument order
     */
    public static <T> List<T> gather(Coroutine<? extends T>[] coroutines) {
        Arguments.notNull(coroutines, "coroutines");
        TaskImpl<?> task = requireTask("gather");
        DefaultEventLoop loop = task.loop;
        for (int i = 0; i < coroutines.length; i++) {
            Arguments.notNull(coroutines[i], "coroutines[" + i + "]");
        }
        List<FutureImpl<? extends T>> children = new ArrayList<>(coroutines.length);
        for (Coroutine<? extends T> coroutine : coroutines) {
            children.add(loop.newTask(coroutine));
        }
        return task.await(Gathering.all(loop, children));
    }

    /**
     * Creates a task on the current coroutine's loop.
     *
     * @param <T> the result type
     * @param coroutine the coroutine
     * @return the task
     */
    public static <T> Task<T> createTask(Coroutine<T> coroutine) {
        Arguments.notNull(coroutine, "coroutine");
        return requireTask("createTask").loop.createTask(coroutine);
    }

    /**
     * Creates a named task on the current coroutine's loop.
     *
     * @param <T> the result type
     * @param name the name
     * @param coroutine the coroutine
     * @return the task
     */
    public static <T> Task<T> createTask(String name, Coroutine<T> coroutine) {
        Arguments.notNull(name, "name");
        Arguments.notNull(coroutine, "coroutine");
        return requireTask("createTask").loop.createTask(name, coroutine);
    }

    /**
     * Runs a coroutine as a task and waits for it at most the given time; past it, cancels the task, waits for
     * it to settle and throws.
     *
     * @param <T> the result type
     * @param coroutine the coroutine
     * @param timeout the longest wait, in loop time
     * @return its result
     * @throws TimeoutException if the timeout passed first
     */
    public static <T> T waitFor(Coroutine<T> coroutine, Duration timeout) throws TimeoutException {
        Arguments.notNull(coroutine, "coroutine");
        Arguments.notNull(timeout, "timeout");
        TaskImpl<?> task = requireTask("waitFor");
        TaskImpl<T> inner = task.loop.newTask(coroutine);
        return WaitFor.await(task, inner, timeout, inner.getName());
    }

    /**
     * Waits for a future at most the given time; past it, cancels the future, waits for it to settle and throws.
     *
     * @param <T> the result type
     * @param future the future, of the current coroutine's loop
     * @param timeout the longest wait, in loop time
     * @return its result
     * @throws TimeoutException if the timeout passed first
     */
    public static <T> T waitFor(LoopFuture<T> future, Duration timeout) throws TimeoutException {
        Arguments.notNull(future, "future");
        Arguments.notNull(timeout, "timeout");
        TaskImpl<?> task = requireTask("waitFor");
        FutureImpl<T> adopted = task.loop.adopt(future);
        if (adopted == task) {
            throw new IllegalStateException(
                    "Task " + task.getName() + " cannot wait for itself: it would wait forever");
        }
        String name = adopted instanceof TaskImpl ? ((TaskImpl<?>) adopted).getName() : adopted.toString();
        return WaitFor.await(task, adopted, timeout, name);
    }

    /**
     * The loop of the current coroutine.
     *
     * @return the loop
     */
    public static DefaultEventLoop loop() {
        return requireTask("loop").loop;
    }

    /**
     * The current coroutine's task.
     *
     * @return the task
     */
    public static Task<?> currentTask() {
        return requireTask("currentTask");
    }

    /**
     * A task group owned by the current coroutine.
     *
     * @return the group
     */
    public static TaskGroup taskGroup() {
        return new TaskGroupImpl(requireTask("taskGroup"));
    }
}
