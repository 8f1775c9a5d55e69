package dev.loopharness;

import dev.loopharness.internal.LoopDiagnostics;
import java.util.List;
import java.util.Optional;

/**
 * A {@link Coroutine} scheduled to run on an {@link EventLoop}: asyncio's {@code Task}. Its result is what
 * the coroutine returns; its exception is what the coroutine throws.
 *
 * <p>Cancelling a task that is waiting makes its pending {@link Async#await} throw a {@link
 * java.util.concurrent.CancellationException}; the coroutine may catch it to clean up. The task counts as
 * cancelled if that exception (or another cancellation) ends it.
 *
 * @param <T> the type of the result
 * @since 0.1.0
 */
public interface Task<T> extends LoopFuture<T> {

    /**
     * The task's name: {@code "Task-N"} unless one was set.
     *
     * @return the name, never {@code null}
     */
    String getName();

    /**
     * Renames the task.
     *
     * @param name the new name; must not be {@code null}
     * @throws NullPointerException if {@code name} is {@code null}
     */
    void setName(String name);

    /**
     * Where the task was created: the first frame outside this library of the call that created it. Recorded
     * in debug mode only.
     *
     * @return the frame, or empty if the loop was not in debug mode
     */
    Optional<StackTraceElement> createdAt();

    /**
     * The frames of the task's coroutine while it waits, innermost first, starting with the caller of the
     * {@link Async} function it waits in and leaving out this library's frames. Safe from any thread.
     *
     * @return the frames, or an empty list if the task has not started, is running or is done
     */
    List<StackTraceElement> waitingStack();

    /**
     * One line for people about the task: its name, where it was created (debug mode), and where it waits, with
     * what it waits on when that is a queue or synchronization primitive. Safe from any thread.
     *
     * @return for example {@code task 'latte' created at Cafe.order(Cafe.java:9), waiting at
     *     Cafe.steamMilk(Cafe.java:20), called from Cafe.makeLatte(Cafe.java:12) <- Cafe.order(Cafe.java:9)}; a
     *     task that does not wait ends in {@code ", done"} or {@code ", not started or running"}
     * @since 0.1.0
     */
    default String describe() {
        return LoopDiagnostics.describe(this);
    }

    /**
     * Cancels the task with a message that the {@link java.util.concurrent.CancellationException} will carry.
     * Each request made while the task is not done counts in {@link #cancelling()}. A task that cancels itself
     * and then returns without suspending ends cancelled, not with its value. Cancelling a task that already
     * failed counts as retrieving its exception.
     *
     * @param message why the task is cancelled; must not be {@code null}
     * @return {@code true} if the request was made; {@code false} if the task was already done
     * @throws NullPointerException if {@code message} is {@code null}
     */
    boolean cancel(String message);

    /**
     * How many cancellation requests the task has had and not withdrawn with {@link #uncancel()}: asyncio's
     * {@code Task.cancelling()}. Every {@link #cancel()} of a task that is not done counts one, whoever makes it
     * (a timeout scope at its deadline, a task group whose child failed, other code). Scopes compare it with the
     * count they saw on entry to tell their own cancellation from one meant for an outer scope. Loop thread only.
     *
     * @return the count, zero or more
     * @since 0.1.0
     */
    int cancelling();

    /**
     * Withdraws one cancellation request: asyncio's {@code Task.uncancel()}. A scope that has turned its own
     * cancellation into something else (a {@link java.util.concurrent.TimeoutException}, a {@link
     * TaskGroupException}) calls it, so that outer scopes see only the requests meant for them. It does not stop a
     * cancellation already on its way to the coroutine (as in CPython 3.12). Loop thread only.
     *
     * @return the count after the withdrawal; never below zero
     * @since 0.1.0
     */
    int uncancel();
}
