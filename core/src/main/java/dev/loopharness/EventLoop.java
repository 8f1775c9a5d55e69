package dev.loopharness;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A single-threaded event loop with callbacks, timers, futures and coroutines: asyncio's event loop, in Java.
 *
 * <p><b>Lifecycle.</b> A loop is created not running ({@link EventLoops#newEventLoop()}), runs on the thread
 * that calls {@link #runForever()} or {@link #runUntilComplete}, goes back to not running when that returns,
 * and may be run again any number of times until it is {@link #close() closed}. A closed loop refuses every
 * attempt to schedule, run or create work with an {@link EventLoopClosedException} that says where it was
 * closed. The errors use CPython's wording so that a Python user recognises them:
 *
 * <ul>
 *   <li>{@code close()} while running: {@code "Cannot close a running event loop"};
 *   <li>running it while it runs: {@code "This event loop is already running"};
 *   <li>running it on a thread where another loop runs: {@code "Cannot run the event loop while another loop
 *       is running"}.
 * </ul>
 *
 * <p><b>Threads.</b> Only one thing runs at a time: the loop's callbacks and its coroutines take turns and
 * never run concurrently. Methods are not thread-safe unless their documentation says so: call them from the
 * loop's callbacks and coroutines, or while the loop is not running. From any other thread use {@link
 * #callSoonThreadsafe(Runnable)} or {@link #execute(Runnable)}. In {@link #setDebug(boolean) debug mode} a
 * non-thread-safe call from another thread while the loop runs is refused.
 *
 * <p><b>Time.</b> {@link #time()} reads the loop's {@link LoopClock}; with a {@link VirtualClock} a loop that
 * has nothing ready jumps the clock to its next timer.
 *
 * @since 0.1.0
 */
public interface EventLoop extends Executor, AutoCloseable {

    /**
     * Runs a coroutine as a task until it completes, and returns its result.
     *
     * @param <T> the type of the result
     * @param coroutine the coroutine; must not be {@code null}
     * @return the coroutine's result
     * @throws NullPointerException if {@code coroutine} is {@code null}
     * @throws EventLoopClosedException if the loop is closed
     * @throws IllegalStateException if the loop is running already, or another loop runs on this thread
     * @throws RuntimeException the coroutine's own exception, as the same instance (checked ones too,
     *     undeclared)
     */
    <T> T runUntilComplete(Coroutine<T> coroutine);

    /**
     * Runs the loop until a future completes, and returns its result. A stage of another kind (a {@link
     * java.util.concurrent.CompletableFuture}, say) is wrapped with {@link #wrapFuture(CompletionStage)}.
     *
     * @param <T> the type of the result
     * @param future the future; must not be {@code null}
     * @return the future's result
     * @throws NullPointerException if {@code future} is {@code null}
     * @throws EventLoopClosedException if the loop is closed
     * @throws IllegalStateException if the loop is running already, another loop runs on this thread, or the
     *     loop was stopped before the future completed
     * @throws IllegalArgumentException if the future belongs to another loop (asyncio's {@code ValueError})
     * @throws RuntimeException the future's exception, as the same instance
     */
    <T> T runUntilComplete(CompletionStage<T> future);

    /**
     * Runs the loop until {@link #stop()} is called.
     *
     * @throws EventLoopClosedException if the loop is closed
     * @throws IllegalStateException if the loop is running already, or another loop runs on this thread
     */
    void runForever();

    /**
     * Asks the loop to stop. While it runs, it finishes the callbacks that were ready when the current
     * iteration began and then {@link #runForever()} returns; before it runs, the next {@code runForever()}
     * runs a single iteration. Does nothing on a closed loop.
     */
    void stop();

    /**
     * Tells whether the loop is running, stopping included. Safe from any thread.
     *
     * @return {@code true} while {@code runForever} or {@code runUntilComplete} is under way
     */
    boolean isRunning();

    /**
     * Tells whether the loop is closed. Safe from any thread.
     *
     * @return {@code true} once {@link #close()} has completed
     */
    boolean isClosed();

    /**
     * Closes the loop: drops the callbacks and timers still pending (their handles then report {@link
     * Handle#isCancelled()}, and the tasks of its scheduled-executor views are cancelled), unwinds the threads
     * of pending tasks (their awaits throw, their {@code finally} blocks run, their threads end) and shuts the
     * default executor down. Returns in bounded time whatever coroutines do: a task that does not end within
     * {@link #getUnwindTimeout()} is abandoned and reported. Idempotent: closing a closed loop does nothing.
     * Records where it was called, for the {@link EventLoopClosedException} that later calls receive; from the
     * moment it begins, every scheduling call throws that exception. May be called from any thread while the
     * loop is not running.
     *
     * @throws IllegalStateException {@code "Cannot close a running event loop"} if the loop is running
     */
    @Override
    void close();

    /**
     * Schedules a callback to run on the next iteration of the loop. Callbacks run in the order they were
     * scheduled.
     *
     * @param callback the callback; must not be {@code null}
     * @return a handle that can cancel it
     * @throws NullPointerException if {@code callback} is {@code null}
     * @throws EventLoopClosedException if the loop is closed
     */
    Handle callSoon(Runnable callback);

    /**
     * Schedules a callback from any thread, waking the loop if it waits. Safe from any thread. On the loop's
     * own thread (in its callbacks and coroutines) it keeps one first-in first-out order with {@link
     * #callSoon(Runnable)}. A call that races with {@link #close()} either schedules a callback that runs, or
     * throws {@link EventLoopClosedException}; a callback that the close drops reports {@link
     * Handle#isCancelled()}, so nothing accepted is lost without a trace.
     *
     * @param callback the callback; must not be {@code null}
     * @return a handle that can cancel it
     * @throws NullPointerException if {@code callback} is {@code null}
     * @throws EventLoopClosedException if the loop is closed
     */
    Handle callSoonThreadsafe(Runnable callback);

    /**
     * Schedules a callback to run after a delay in loop time. Callbacks due at the same time run in the order
     * they were scheduled. A zero or negative delay runs the callback on the next iteration; a delay too
     * large to represent saturates.
     *
     * @param delay how long to wait; must not be {@code null}
     * @param callback the callback; must not be {@code null}
     * @return a handle that can cancel it
     * @throws NullPointerException if {@code delay} or {@code callback} is {@code null}
     * @throws EventLoopClosedException if the loop is closed
     */
    TimerHandle callLater(Duration delay, Runnable callback);

    /**
     * Schedules a callback to run at a point in loop time ({@link #time()}'s scale). A deadline in the past
     * runs the callback on the next iteration.
     *
     * @param deadlineNanos when to run it, in loop nanoseconds
     * @param callback the callback; must not be {@code null}
     * @return a handle that can cancel it
     * @throws NullPointerException if {@code callback} is {@code null}
     * @throws EventLoopClosedException if the loop is closed
     */
    TimerHandle callAt(long deadlineNanos, Runnable callback);

    /**
     * The loop's time: its {@link LoopClock}'s reading. Safe from any thread.
     *
     * @return nanoseconds, monotonic, from an arbitrary origin
     */
    long time();

    /**
     * The clock the loop reads: the one given at creation, {@link LoopClock#system()} by default. Safe from any
     * thread.
     *
     * @return the clock, never {@code null}
     * @since 0.1.0
     */
    LoopClock clock();

    /**
     * Tells whether the loop runs in virtual time: its clock is a {@link VirtualClock}, which the loop jumps to
     * the next timer when nothing else is ready. Safe from any thread.
     *
     * @return {@code true} if {@link #clock()} is a {@link VirtualClock}
     * @since 0.1.0
     */
    default boolean isVirtualTime() {
        return clock() instanceof VirtualClock;
    }

    /**
     * The timers that have not run yet, earliest first (ties in scheduling order), cancelled ones left out: what
     * a test may check is gone before it ends. Call it on the loop's thread, or while the loop is not running.
     *
     * @return a snapshot, which later scheduling does not change; empty on a closed loop
     * @since 0.1.0
     */
    List<TimerHandle> pendingTimers();

    /**
     * Creates a pending future that belongs to this loop.
     *
     * @param <T> the type of the result
     * @return a new future
     */
    <T> LoopFuture<T> createFuture();

    /**
     * Schedules a coroutine to run as a task; it starts on the next iteration of the loop.
     *
     * @param <T> the type of the result
     * @param coroutine the coroutine; must not be {@code null}
     * @return the task
     * @throws NullPointerException if {@code coroutine} is {@code null}
     * @throws EventLoopClosedException if the loop is closed
     */
    <T> Task<T> createTask(Coroutine<T> coroutine);

    /**
     * Schedules a coroutine to run as a task with a name of its own, as {@link #createTask(Coroutine)} does:
     * asyncio's {@code create_task(coro, name=...)}. The name is also the name of the task's thread.
     *
     * @param <T> the type of the result
     * @param name the task's name; must not be {@code null}
     * @param coroutine the coroutine; must not be {@code null}
     * @return the task
     * @throws NullPointerException if an argument is {@code null}
     * @throws EventLoopClosedException if the loop is closed
     * @since 0.1.0
     */
    <T> Task<T> createTask(String name, Coroutine<T> coroutine);

    /**
     * Submits a coroutine to this loop from any thread: asyncio's {@code run_coroutine_threadsafe}. The task is
     * created on the loop's thread at its next iteration; the returned future completes with the task's
     * outcome (a cancelled task cancels it). Cancelling the returned future cancels the task, or keeps it from
     * being created if that has not happened yet. Block on the returned future only on a thread that is not the
     * loop's.
     *
     * @param <T> the type of the result
     * @param coroutine the coroutine; must not be {@code null}
     * @return a future of the task's outcome, not bound to the loop
     * @throws NullPointerException if {@code coroutine} is {@code null}
     * @throws EventLoopClosedException if the loop is closed
     * @since 0.1.0
     */
    <T> CompletableFuture<T> runCoroutineThreadsafe(Coroutine<T> coroutine);

    /**
     * The loop's tasks that are not done yet.
     *
     * @return a snapshot, in creation order
     */
    Set<Task<?>> allTasks();

    /**
     * Runs a blocking function on an executor and returns a future of this loop that completes, on the loop,
     * with its result. Cancelling the returned future cancels the function if it has not started.
     *
     * @param <T> the type of the result
     * @param executor where to run it, or {@code null} for the loop's default executor, which the loop creates
     *     on first use and shuts down when it closes
     * @param function the function; must not be {@code null}
     * @return a future of this loop
     * @throws NullPointerException if {@code function} is {@code null}
     * @throws EventLoopClosedException if the loop is closed
     */
    <T> LoopFuture<T> runInExecutor(Executor executor, Callable<T> function);

    /**
     * Wraps a stage from elsewhere (a {@link java.util.concurrent.CompletableFuture}, say) in a future of this
     * loop that completes on the loop thread when the stage does. Cancelling the returned future cancels the
     * stage where it can ({@code toCompletableFuture().cancel(false)}). A future of this loop is returned as it
     * is. Safe from any thread.
     *
     * <p>Wrapping declares the stage as work on another thread: on a {@link VirtualClock}, virtual time holds still
     * until it settles (a stage awaited directly with {@code Async.await} holds nothing, since the loop cannot tell
     * whether its own timers or another thread will complete it).
     *
     * @param <T> the type of the result
     * @param stage the stage; must not be {@code null}
     * @return a future of this loop
     * @throws NullPointerException if {@code stage} is {@code null}
     * @throws IllegalArgumentException if {@code stage} is a future of another loop
     */
    <T> LoopFuture<T> wrapFuture(CompletionStage<T> stage);

    /**
     * Replaces the exception handler.
     *
     * @param handler the handler, or {@code null} for the default, which logs through {@link
     *     System.Logger} (logger {@code dev.loopharness})
     */
    void setExceptionHandler(ExceptionHandler handler);

    /**
     * The exception handler set with {@link #setExceptionHandler(ExceptionHandler)}.
     *
     * @return the handler, or {@code null} if the default is in use
     */
    ExceptionHandler getExceptionHandler();

    /**
     * Reports to the exception handler; a handler that throws is contained and the failure logged.
     *
     * @param context what happened; must not be {@code null}
     * @throws NullPointerException if {@code context} is {@code null}
     */
    void callExceptionHandler(ExceptionContext context);

    /**
     * Turns debug mode on or off. In debug mode the loop records where handles, tasks and its own closing
     * were created, reports callbacks slower than {@link #setSlowCallbackDuration(Duration)} to the exception
     * handler, and refuses non-thread-safe calls from threads other than its own while it runs.
     *
     * @param on {@code true} for debug mode
     */
    void setDebug(boolean on);

    /**
     * Tells whether debug mode is on.
     *
     * @return {@code true} in debug mode
     */
    boolean isDebug();

    /**
     * Sets how long a callback or a step of a task may run before debug mode reports it as slow. 100 ms
     * unless set.
     *
     * @param threshold the threshold; must not be {@code null}, zero or negative
     * @throws NullPointerException if {@code threshold} is {@code null}
     * @throws IllegalArgumentException if {@code threshold} is zero or negative
     */
    void setSlowCallbackDuration(Duration threshold);

    /**
     * The threshold set with {@link #setSlowCallbackDuration(Duration)}.
     *
     * @return the threshold, 100 ms unless set
     */
    Duration getSlowCallbackDuration();

    /**
     * Sets how long {@link #close()} waits for each pending task to end once its awaits throw. A coroutine that
     * catches that cancellation and awaits again, or that blocks in a {@code finally} block, does not end: past
     * this time it is abandoned (its thread is interrupted and goes on alone; every await in it throws) and
     * reported to the exception handler with where it was running, so that {@code close()} always returns. 5 s
     * unless set.
     *
     * @param timeout the longest wait per task; must not be {@code null}, zero or negative
     * @throws NullPointerException if {@code timeout} is {@code null}
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     * @since 0.1.0
     */
    void setUnwindTimeout(Duration timeout);

    /**
     * The timeout set with {@link #setUnwindTimeout(Duration)}.
     *
     * @return the timeout, 5 s unless set
     * @since 0.1.0
     */
    Duration getUnwindTimeout();

    /**
     * A {@link java.time.Clock} that reads this loop's time, in UTC: with a {@link VirtualClock} its instant
     * is the clock's start instant plus the loop time that has passed; with a real clock, the wall-clock time
     * when the loop was created plus the loop time that has passed since. Safe from any thread.
     *
     * @return the clock view
     */
    Clock asClock();

    /**
     * A {@link ScheduledExecutorService} whose tasks run on this loop, as callbacks, at their time in loop time:
     * with a {@link VirtualClock}, a task due in an hour runs as soon as the loop has nothing else to do. For code
     * written against the JDK's executors, to run it on the loop, deterministically, in real or virtual time.
     *
     * <p><b>Rules.</b> Those of {@link java.util.concurrent.ScheduledThreadPoolExecutor} with its default
     * policies. A negative delay counts as zero, and a delay too large to represent saturates; a zero or
     * negative period is refused. Tasks due at the same time run in the order they were scheduled. At a fixed
     * rate, each run is due a period after the previous one was due: runs that fall behind start late, one after
     * the other, never overlapping. With a fixed delay, the next run is due a delay after the previous one ended.
     * A periodic task ends when it throws: its future fails with that exception and it never runs again. Any
     * other task's exception goes to its future, not to the exception handler, except for a task given to {@code
     * execute}, whose future nobody holds: its exception goes to the exception handler as well.
     *
     * <p><b>Threads.</b> The view is safe to use from any thread. Its futures are {@link
     * java.util.concurrent.CompletableFuture}s: other threads may block in {@code get()} until the loop has run
     * the task, anyone may cancel them, and {@code getDelay} reads loop time. On the loop's own thread, or in one
     * of its coroutines, a call that would block ({@code get}, {@code join}, {@code invokeAll}, {@code
     * invokeAny}, {@code awaitTermination}) would deadlock the loop, and throws an {@link IllegalStateException}
     * instead. In a coroutine, await the future itself: {@code Async.await((CompletableFuture<T>) future)}.
     * Awaiting it leaves virtual time free to move. A stage derived from it ({@code future.thenApply(...)}, say)
     * is a stage of unknown origin, which holds virtual time still until it completes, and so in virtual time
     * would be awaited forever: await the future, and compute after. The timeouts of the blocking methods are
     * how long the calling thread waits, in real time; delays and periods are loop time. A thread that blocks
     * waits for the loop to run the task, so the loop must run on another thread.
     *
     * <p><b>Lifecycle.</b> Each call returns a new view with a lifecycle of its own. {@code shutdown()} stops that
     * view only: it refuses new tasks with a {@link java.util.concurrent.RejectedExecutionException}, cancels its
     * periodic tasks and lets its delayed ones run. {@code shutdownNow()} also cancels every task still waiting
     * to run and returns their futures (unlike {@code ScheduledThreadPoolExecutor}, whose returned futures never
     * complete). Neither ever stops or closes the loop. Closing the loop cancels the pending futures of every
     * view (their {@link java.util.concurrent.CancellationException} is caused by the {@link
     * EventLoopClosedException}), and the views then count as shut down and refuse new tasks with a {@code
     * RejectedExecutionException} caused by the {@code EventLoopClosedException}.
     *
     * @return a new view of this loop
     */
    ScheduledExecutorService asScheduledExecutorService();

    /**
     * Same as {@link #callSoonThreadsafe(Runnable)}: runs the command on the loop. Safe from any thread.
     *
     * @param command the callback; must not be {@code null}
     * @throws NullPointerException if {@code command} is {@code null}
     * @throws EventLoopClosedException if the loop is closed
     */
    @Override
    void execute(Runnable command);
}
