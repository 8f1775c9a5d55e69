package dev.loopharness;

import dev.loopharness.internal.Coroutines;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/**
 * What a coroutine does while it runs on its loop: wait without blocking the loop, sleep in loop time, run other
 * coroutines concurrently. asyncio's {@code await}, {@code sleep}, {@code gather}, {@code create_task}, {@code
 * wait_for} and {@code TaskGroup}, in direct style:
 *
 * <pre>{@code
 * String body = EventLoops.run(() -> {
 *     Async.sleep(Duration.ofSeconds(1));
 *     return Async.await(client.fetch("/"));
 * });
 * }</pre>
 *
 * <p>Every function here is valid only inside a coroutine running on a loop, and throws an {@link
 * IllegalStateException} that says how to start one when called anywhere else (a plain thread, or a loop
 * callback, which cannot suspend).
 *
 * @since 0.1.0
 */
public final class Async {

    private Async() {}

    /**
     * Suspends the current coroutine, not the loop, until the stage completes, and returns its result. A stage
     * that is done already returns at once, without suspending. Stages of other kinds (a {@link
     * java.util.concurrent.CompletableFuture}, say) are accepted; their outcome arrives on the loop's thread.
     *
     * @param <T> the type of the result
     * @param future the stage; must not be {@code null}; a future of another loop is refused
     * @return the stage's result
     * @throws NullPointerException if {@code future} is {@code null}
     * @throws IllegalArgumentException if {@code future} belongs to another loop (the message names both)
     * @throws IllegalStateException outside a coroutine, or if a task awaits itself
     * @throws java.util.concurrent.CancellationException if the stage or the current task was cancelled
     * @throws RuntimeException the stage's exception, as the same instance (checked ones too, undeclared)
     */
    public static <T> T await(CompletionStage<T> future) {
        return Coroutines.await(future);
    }

    /**
     * Suspends the current coroutine for a duration of loop time; other callbacks and tasks run meanwhile.
     * {@link Duration#ZERO} (or a negative duration) yields once: the coroutine resumes after the callbacks that
     * are ready now.
     *
     * @param duration how long; must not be {@code null}
     * @throws NullPointerException if {@code duration} is {@code null}
     * @throws IllegalStateException outside a coroutine
     * @throws java.util.concurrent.CancellationException if the current task is cancelled while it sleeps
     */
    public static void sleep(Duration duration) {
        Coroutines.sleep(duration);
    }

    /**
     * Runs coroutines concurrently, each as a task, and waits for all of them. The first failure is thrown as
     * soon as it happens, as asyncio's {@code gather} does; the other tasks are not cancelled and run on.
     * Cancelling the waiting coroutine cancels them all.
     *
     * @param <T> the type of the results
     * @param coroutines the coroutines; none may be {@code null}
     * @return the results, in argument order
     * @throws NullPointerException if a coroutine is {@code null} (the message says which)
     * @throws IllegalStateException outside a coroutine
     * @throws RuntimeException the first failure, as the same instance
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read
    public static <T> List<T> gather(Coroutine<? extends T>... coroutines) {
        return Coroutines.gather(coroutines);
    }

    /**
     * Schedules a coroutine as a task on the current coroutine's loop. The task starts when the current
     * coroutine next suspends. Keep the task and await it: a task's failure that nobody retrieves is reported
     * to the loop's exception handler as {@code "Task exception was never retrieved"}.
     *
     * @param <T> the type of the result
     * @param coroutine the coroutine; must not be {@code null}
     * @return the task
     * @throws NullPointerException if {@code coroutine} is {@code null}
     * @throws IllegalStateException outside a coroutine
     */
    public static <T> Task<T> createTask(Coroutine<T> coroutine) {
        return Coroutines.createTask(coroutine);
    }

    /**
     * Runs a coroutine as a task and waits for it for at most a duration of loop time. When the time is up, the
     * task is cancelled, awaited until it has settled, and a {@link TimeoutException} is thrown.
     *
     * @param <T> the type of the result
     * @param coroutine the coroutine; must not be {@code null}
     * @param timeout the longest wait; must not be {@code null}
     * @return the coroutine's result
     * @throws TimeoutException if the time was up first
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalStateException outside a coroutine
     */
    public static <T> T waitFor(Coroutine<T> coroutine, Duration timeout) throws TimeoutException {
        return Coroutines.waitFor(coroutine, timeout);
    }

    /**
     * The loop the current coroutine runs on.
     *
     * @return the loop
     * @throws IllegalStateException outside a coroutine
     */
    public static EventLoop loop() {
        return Coroutines.loop();
    }

    /**
     * The task of the current coroutine.
     *
     * @return the task
     * @throws IllegalStateException outside a coroutine
     */
    public static Task<?> currentTask() {
        return Coroutines.currentTask();
    }

    /**
     * A new task group owned by the current coroutine; use it with try-with-resources.
     *
     * @return the group
     * @throws IllegalStateException outside a coroutine
     * @see TaskGroup
     */
    public static TaskGroup taskGroup() {
        return Coroutines.taskGroup();
    }
}
