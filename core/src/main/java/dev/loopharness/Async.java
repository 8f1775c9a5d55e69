package dev.loopharness;

import dev.loopharness.internal.Arguments;
import dev.loopharness.internal.Coroutines;
import dev.loopharness.internal.Scopes;
import dev.loopharness.internal.Waiting;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
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
     * Waits for a stage as {@link #await(CompletionStage)} does, declaring the checked exception the caller
     * expects, so that {@code catch (IOException e)} compiles around it. The class is not checked against what
     * is thrown: any exception of the stage goes on as the same instance, declared or not.
     *
     * <pre>{@code
     * try {
     *     return Async.await(download, IOException.class);
     * } catch (IOException e) {
     *     return fallback;
     * }
     * }</pre>
     *
     * @param <T> the type of the result
     * @param <X> the checked exception the caller expects
     * @param future the stage; must not be {@code null}; a future of another loop is refused
     * @param declared the class of the expected exception; must not be {@code null}
     * @return the stage's result
     * @throws X the stage's exception, if it is one
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if {@code future} belongs to another loop
     * @throws IllegalStateException outside a coroutine, or if a task awaits itself
     * @throws java.util.concurrent.CancellationException if the stage or the current task was cancelled
     * @since 0.1.0
     */
    public static <T, X extends Exception> T await(CompletionStage<T> future, Class<X> declared) throws X {
        Arguments.notNull(declared, "declared");
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
     * Waits for futures that exist already, tasks among them, and returns their results in order: {@code
     * gather} over futures. The first failure is thrown as soon as it happens; the others run on. Cancelling the
     * waiting coroutine cancels them all, as asyncio's {@code gather} does.
     *
     * @param <T> the type of the results
     * @param futures the futures (any {@link CompletionStage}); none may be {@code null}; futures of another loop
     *     are refused
     * @return the results, in argument order
     * @throws NullPointerException if a future is {@code null} (the message says which)
     * @throws IllegalArgumentException if a future belongs to another loop
     * @throws IllegalStateException outside a coroutine
     * @throws RuntimeException the first failure, as the same instance
     * @since 0.1.0
     */
    public static <T> List<T> gather(Collection<? extends CompletionStage<? extends T>> futures) {
        return Waiting.gather(futures);
    }

    /**
     * Waits for futures that exist already, as {@link #gather(Collection)} does: {@code Async.gather(t1, t2)}.
     *
     * @param <T> the type of the results
     * @param futures the futures; none may be {@code null}
     * @return the results, in argument order
     * @throws NullPointerException if a future is {@code null} (the message says which)
     * @throws IllegalArgumentException if a future belongs to another loop
     * @throws IllegalStateException outside a coroutine
     * @throws RuntimeException the first failure, as the same instance
     * @since 0.1.0
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read
    public static <T> List<T> gather(CompletionStage<? extends T>... futures) {
        Arguments.notNull(futures, "futures");
        return Waiting.gather(Arrays.asList(futures));
    }

    /**
     * Waits for futures as {@link #gather(Collection)} does, declaring the checked exception the caller expects
     * (see {@link #await(CompletionStage, Class)}).
     *
     * @param <T> the type of the results
     * @param <X> the checked exception the caller expects
     * @param futures the futures; none may be {@code null}
     * @param declared the class of the expected exception; must not be {@code null}
     * @return the results, in argument order
     * @throws X the first failure, if it is one
     * @throws NullPointerException if an argument or a future is {@code null}
     * @throws IllegalArgumentException if a future belongs to another loop
     * @throws IllegalStateException outside a coroutine
     * @since 0.1.0
     */
    public static <T, X extends Exception> List<T> gather(
            Collection<? extends CompletionStage<? extends T>> futures, Class<X> declared) throws X {
        Arguments.notNull(declared, "declared");
        return Waiting.gather(futures);
    }

    /**
     * Runs coroutines concurrently, each as a task, and returns how each ended, in argument order, without
     * throwing any failure: asyncio's {@code gather(..., return_exceptions=True)}. A cancelled task's outcome
     * holds its {@code CancellationException}. Cancelling the waiting coroutine cancels the tasks; it then ends
     * cancelled once they are done.
     *
     * @param <T> the type of the results
     * @param coroutines the coroutines; none may be {@code null}
     * @return the outcomes, in argument order
     * @throws NullPointerException if a coroutine is {@code null} (the message says which)
     * @throws IllegalStateException outside a coroutine
     * @throws java.util.concurrent.CancellationException if the waiting coroutine was cancelled
     * @since 0.1.0
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read
    public static <T> List<Outcome<T>> gatherSettled(Coroutine<? extends T>... coroutines) {
        return Waiting.gatherSettled(coroutines);
    }

    /**
     * Waits until futures meet a condition, or a timeout passes: asyncio's {@code wait}. Never throws the
     * futures' exceptions and never cancels them; look at the returned sets. Returns at once if the condition
     * holds already.
     *
     * @param <T> the type of the results
     * @param futures the futures; at least one, none {@code null}; futures of another loop are refused
     * @param mode when to return; must not be {@code null}
     * @param timeout the longest wait in loop time, or {@code null} for none
     * @return the futures that are done and those still pending
     * @throws NullPointerException if {@code futures}, one of them or {@code mode} is {@code null}
     * @throws IllegalArgumentException if {@code futures} is empty, or one belongs to another loop
     * @throws IllegalStateException outside a coroutine
     * @throws java.util.concurrent.CancellationException if the current task is cancelled while it waits; the
     *     futures are not cancelled
     * @since 0.1.0
     */
    public static <T> WaitResult<T> wait(
            Collection<? extends LoopFuture<? extends T>> futures, WaitMode mode, Duration timeout) {
        return Waiting.wait(futures, mode, timeout);
    }

    /**
     * The futures in the order they complete: asyncio's {@code as_completed}. Each call of the iterator's {@code
     * next()} suspends the coroutine until one more future is done and returns it; read its outcome with {@link
     * #await(CompletionStage)} or {@link LoopFuture#result()}. Once the timeout has passed, each remaining call
     * returns a future failed with a {@link TimeoutException} instead, so the iteration always gives as many
     * futures as it was given (each at most once). Iterate once, inside the coroutine.
     *
     * <pre>{@code
     * for (LoopFuture<Quote> next : Async.asCompleted(quotes, Duration.ofSeconds(2))) {
     *     show(Async.await(next, TimeoutException.class));
     * }
     * }</pre>
     *
     * @param <T> the type of the results
     * @param futures the futures; none {@code null}; futures of another loop are refused
     * @param timeout the longest wait for all of them, in loop time, or {@code null} for none
     * @return a one-pass iterable
     * @throws NullPointerException if {@code futures} or one of them is {@code null}
     * @throws IllegalArgumentException if a future belongs to another loop
     * @throws IllegalStateException outside a coroutine
     * @since 0.1.0
     */
    public static <T> Iterable<LoopFuture<T>> asCompleted(
            Collection<? extends LoopFuture<? extends T>> futures, Duration timeout) {
        return Waiting.asCompleted(futures, timeout);
    }

    /**
     * Protects a future from cancellation: asyncio's {@code shield}. Returns an outer future that settles like
     * the inner one; cancelling the outer one (or the task awaiting it) leaves the inner one running. Callable
     * from a coroutine or a callback on the future's loop.
     *
     * @param <T> the type of the result
     * @param inner the future to protect; must not be {@code null}
     * @return the outer future, or {@code inner} itself if it is done already
     * @throws NullPointerException if {@code inner} is {@code null}
     * @since 0.1.0
     */
    public static <T> LoopFuture<T> shield(LoopFuture<T> inner) {
        return Waiting.shield(inner);
    }

    /**
     * Schedules a coroutine as a named task on the current coroutine's loop, as {@link #createTask(Coroutine)}
     * does.
     *
     * @param <T> the type of the result
     * @param name the task's name; must not be {@code null}
     * @param coroutine the coroutine; must not be {@code null}
     * @return the task
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalStateException outside a coroutine
     * @since 0.1.0
     */
    public static <T> Task<T> createTask(String name, Coroutine<T> coroutine) {
        return Coroutines.createTask(name, coroutine);
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
     * Runs a coroutine as a task and waits for it for at most a duration of loop time: asyncio's {@code
     * wait_for}. When the time is up, the task is cancelled, awaited until it has settled, and a {@link
     * TimeoutException} is thrown (unless the coroutine caught the cancellation and finished: then its outcome).
     * A timeout of zero or less cancels the task before its coroutine starts. The cancellation rules of {@link
     * #waitFor(LoopFuture, Duration)} apply.
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
     * Waits for a future of the current loop for at most a duration of loop time: asyncio's {@code wait_for}.
     * When the time is up the future is cancelled and waited for until it has settled; if it ends cancelled a
     * {@link TimeoutException} is thrown, else its own outcome (it caught the cancellation and finished). A
     * timeout of zero or less cancels a future that is not done at once. If the current task is cancelled while
     * it waits, the future is cancelled and waited for, and the task's {@code CancellationException} goes on; if
     * that happens while the future is being cancelled for the timeout, it goes on at once and the future
     * finishes on its own.
     *
     * @param <T> the type of the result
     * @param future the future; must not be {@code null}; a future of another loop is refused
     * @param timeout the longest wait; must not be {@code null}
     * @return the future's result
     * @throws TimeoutException if the time was up and the future ended cancelled
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if {@code future} belongs to another loop
     * @throws IllegalStateException outside a coroutine, or if a task waits for itself
     * @since 0.1.0
     */
    public static <T> T waitFor(LoopFuture<T> future, Duration timeout) throws TimeoutException {
        return Coroutines.waitFor(future, timeout);
    }

    /**
     * Runs a body in the current task under a deadline of loop time: asyncio's {@code timeout}. At the deadline
     * the task is cancelled; when the body ends with that cancellation, a {@link TimeoutException} is thrown
     * instead, with the cancellation as its cause. A cancellation meant for an outer scope (another request came
     * meanwhile, see {@link Task#cancelling()}) goes on as it is. No new task is created.
     *
     * <pre>{@code
     * String page = Async.timeout(Duration.ofSeconds(5), scope -> Async.await(client.fetch("/")));
     * }</pre>
     *
     * @param <T> the type of the result
     * @param delay how long from now, in loop time; {@code null} for no deadline (set one later with {@link
     *     Timeout#reschedule}); zero or negative expires at the loop's next iteration
     * @param body the body; must not be {@code null}
     * @return the body's result
     * @throws TimeoutException if the deadline cancelled the body
     * @throws Exception whatever the body throws, as it is
     * @throws NullPointerException if {@code body} is {@code null}
     * @throws IllegalStateException outside a coroutine
     * @since 0.1.0
     */
    public static <T> T timeout(Duration delay, Timeout.Body<T> body) throws Exception {
        return Scopes.timeout(delay, body);
    }

    /**
     * Runs a body in the current task under a deadline given in loop time ({@link EventLoop#time()}'s scale), as
     * {@link #timeout} does: asyncio's {@code timeout_at}.
     *
     * @param <T> the type of the result
     * @param deadlineNanos the deadline; {@link Long#MAX_VALUE} for none; one in the past expires at the loop's
     *     next iteration
     * @param body the body; must not be {@code null}
     * @return the body's result
     * @throws TimeoutException if the deadline cancelled the body
     * @throws Exception whatever the body throws, as it is
     * @throws NullPointerException if {@code body} is {@code null}
     * @throws IllegalStateException outside a coroutine
     * @since 0.1.0
     */
    public static <T> T timeoutAt(long deadlineNanos, Timeout.Body<T> body) throws Exception {
        return Scopes.timeoutAt(deadlineNanos, body);
    }

    /**
     * Tells whether the calling code runs in a coroutine, where the other functions of this class may be called:
     * for code that suspends when it runs in a coroutine and blocks or schedules otherwise. Callbacks on a loop
     * are not coroutines. Any thread.
     *
     * @return {@code true} on the thread of a task's coroutine while it runs, {@code false} elsewhere
     * @since 0.1.0
     */
    public static boolean inCoroutine() {
        return Coroutines.currentOrNull() != null;
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
     * Runs a body with a new task group and waits for the group's tasks: asyncio's {@code async with
     * TaskGroup()}. A failing task cancels the others and the body; a failing body cancels the tasks; a
     * cancellation of the current task cancels them too. See {@link TaskGroup} for the rules.
     *
     * @param <T> the type of the result
     * @param body the body; must not be {@code null}
     * @return the body's result, once every task of the group is done
     * @throws TaskGroupException if tasks or the body failed (with anything but a cancellation); it holds every
     *     failure in the order they happened
     * @throws Error the first {@link Error} of a task or of the body, as itself
     * @throws java.util.concurrent.CancellationException if the current task was cancelled from elsewhere and
     *     nothing failed
     * @throws Exception declared because the body may throw anything; what reaches the caller is one of the above
     * @throws NullPointerException if {@code body} is {@code null}
     * @throws IllegalStateException outside a coroutine
     * @since 0.1.0
     */
    public static <T> T taskGroup(TaskGroup.Body<T> body) throws Exception {
        return Scopes.taskGroup(body);
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
