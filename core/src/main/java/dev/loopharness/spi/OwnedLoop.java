package dev.loopharness.spi;

import dev.loopharness.Coroutine;
import dev.loopharness.EventLoop;
import dev.loopharness.Handle;
import dev.loopharness.LoopClock;
import dev.loopharness.LoopFuture;
import dev.loopharness.Task;
import dev.loopharness.internal.LoopHooks;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A loop created for a test harness, with the hooks its owner alone uses: who may close and stop it, whom each
 * piece of work belongs to, which failures nobody retrieved, and how to free a timed run that a blocked task
 * holds. For test harnesses; not for application code. The library alone implements this interface; see the
 * package's compatibility promise.
 *
 * <p>Threads: each method says where it may be called; "any thread" means it is safe while the loop runs
 * elsewhere.
 *
 * @since 0.1.0
 */
public interface OwnedLoop {

    /**
     * Creates a loop for a harness, not guarded yet and not tagging work.
     *
     * @param clock the loop's clock; must not be {@code null}
     * @return the loop with its hooks
     * @throws NullPointerException if {@code clock} is {@code null}
     */
    static OwnedLoop create(LoopClock clock) {
        return LoopHooks.create(clock);
    }

    /**
     * The tag of a task, handle or timer of an owned loop, as set by {@link #tagWork(Object)}, {@link
     * #tagWork(Object, TagInheritance)} or {@link #createTask(Coroutine, Object)}. Any thread.
     *
     * @param work a task, handle or timer, may be {@code null}
     * @return its tag, or {@code null} if it has none or is not work of a loop
     */
    static Object tagOf(Object work) {
        return LoopHooks.tagOf(work);
    }

    /**
     * Cancels a pending handle and, for the timer of a task of a scheduled-executor view ({@link
     * EventLoop#asScheduledExecutorService()}), that task too, so that the view does not wait for ever for a task
     * whose timer is gone. On the loop's thread or while it is not running.
     *
     * @param handle a handle of a loop; must not be {@code null}
     * @throws NullPointerException if {@code handle} is {@code null}
     */
    static void cancelWork(Handle handle) {
        LoopHooks.cancelWork(handle);
    }

    /**
     * The loop itself, for everything the public API does.
     *
     * @return the loop, never {@code null}
     */
    EventLoop loop();

    // ---- ownership ----------------------------------------------------------------------------------------

    /**
     * Guards the loop for an owner: {@code close()} and {@code stop()} by anyone else fail with an {@link
     * IllegalStateException} that names the owner, until {@link #shutdownAsOwner(String)}. Any thread.
     *
     * @param ownerDescription who owns the loop, for the message, for example {@code the class "FooTest"}; {@code
     *     null} lifts the guard
     */
    void guard(String ownerDescription);

    /**
     * Lets {@code stop()} through the guard, for an owner that lets its user drive the loop; {@code close()} stays
     * refused. Any thread.
     *
     * @param allowed whether {@code stop()} is allowed
     */
    void allowStop(boolean allowed);

    /**
     * Names what runs on the loop now, for the record of who closed it (the text of every later {@code "Event loop
     * is closed"}). Any thread.
     *
     * @param description for example {@code test "FooTest.bar()"}, or {@code null} for none
     */
    void setActivity(String description);

    /**
     * Sets a line added to the refusals to run a loop from one of this loop's coroutines or callbacks ({@code
     * "This event loop is already running"} and its relatives): a harness explains there that its body already
     * runs on the loop. Any thread.
     *
     * @param hint the text, or {@code null} for none
     */
    void setNestedRunHint(String hint);

    /**
     * Has a listener told of each refused non-thread-safe call (debug mode), on the offending thread, before the
     * refusal is thrown there, so that the owner can fail its own work with it. The listener must not throw.
     * Any thread.
     *
     * @param listener the listener, or {@code null} for none
     */
    void onConfinementViolation(Consumer<IllegalStateException> listener);

    /**
     * Shuts the loop down in asyncio's order on behalf of its owner: lifts the guard, cancels the tasks and runs
     * the loop until they settle, reports their failures to the exception handler, shuts the default executor
     * down and closes the loop. The record of who closed it names the owner. A closed loop is left as it is. On
     * a thread where no loop runs, while the loop is not running.
     *
     * @param ownerDescription who owns the loop, as given to {@link #guard(String)}; must not be {@code null}
     * @throws NullPointerException if {@code ownerDescription} is {@code null}
     */
    void shutdownAsOwner(String ownerDescription);

    /**
     * What the close dropped without running, for the owner's log. Call it after the loop is closed.
     *
     * @return for example {@code "2 callbacks, 1 timers, 0 callbacks from other threads, 0 executor-view
     *     tasks"}; empty if nothing was dropped or the loop is open
     */
    Optional<String> droppedAtClose();

    // ---- attribution --------------------------------------------------------------------------------------

    /**
     * Sets the tag of work created outside any tagged work, from now on, or turns tagging on with it: the tag of
     * tasks, timers and callbacks created with nothing tagged running, and of callbacks posted from other
     * threads. Any thread.
     *
     * @param defaultTag the tag, may be {@code null}
     */
    void tagWork(Object defaultTag);

    /**
     * Turns tagging on, transitively: what a task step or a callback creates carries a tag derived from the tag
     * of the work that runs, so that a timer re-armed in its own callback belongs to whoever created the first.
     * What untagged work creates is untagged. Tagging costs a lookup per scheduling. Any thread.
     *
     * @param defaultTag the tag of work created outside any tagged work, may be {@code null}
     * @param inheritance derives a child's tag from its parent's; must not be {@code null}
     * @throws NullPointerException if {@code inheritance} is {@code null}
     */
    void tagWork(Object defaultTag, TagInheritance inheritance);

    /**
     * Creates a task of the owner with a tag of its own: work it creates carries the same tag, or one derived
     * from it. No creation site is recorded, even in debug mode: it would be the owner's own code. On the loop's
     * thread or while it is not running.
     *
     * @param <T> the result type
     * @param coroutine the coroutine; must not be {@code null}
     * @param tag the tag, may be {@code null}
     * @return the task, scheduled
     * @throws NullPointerException if {@code coroutine} is {@code null}
     * @throws dev.loopharness.EventLoopClosedException if the loop is closed
     */
    <T> Task<T> createTask(Coroutine<T> coroutine, Object tag);

    /**
     * Creates a task like {@link #createTask(Coroutine, Object)} whose first step the next run takes on the
     * thread that runs the loop, with no hand-off between threads, if that step is then the only work ready (and
     * no schedule is explored): a coroutine that ends without suspending runs on the caller's thread alone. If it
     * suspends, the caller's thread stays the task's thread while a driver thread goes on with the run; the run
     * returns only once the task has ended (it is cancelled if the run ends first). The caller's context and
     * default loop are the same after the run as before. A coroutine that blocks on the caller's thread holds it:
     * {@link #giveUpBlockedStep()} cannot give that first step up. On the loop's thread or while it is not
     * running.
     *
     * @param <T> the result type
     * @param coroutine the coroutine; must not be {@code null}
     * @param tag the tag, may be {@code null}
     * @return the task, scheduled
     * @throws NullPointerException if {@code coroutine} is {@code null}
     * @throws dev.loopharness.EventLoopClosedException if the loop is closed
     * @since 0.1.0
     */
    <T> Task<T> createTaskOnCaller(Coroutine<T> coroutine, Object tag);

    /**
     * In debug mode, samples the stack of a first step of {@link #createTaskOnCaller} that has run past the loop's
     * slow-callback duration, for the slow-step warning it reports when it ends: no other thread waits for that
     * step to take it. Meant for the owner's timer: call it at the slow-callback duration into the run, then again
     * after each duration it returns, until it returns {@code null}. Any thread.
     *
     * @return how long from now to call again while such a step is pending or runs (until it is due, or one
     *     threshold later once sampled: a step timed afresh after a poll that moved virtual time may need a new
     *     sample); {@code null} once it has ended, or when there is no such step
     * @since 0.1.0
     */
    Duration sampleCallerStep();

    /**
     * Interrupts the thread of the task step that holds the loop now, if it is still {@code expected}: an
     * interrupt never reaches a thread whose task has ended (a pooled carrier that serves the next task, or the
     * caller's thread after a first step of {@link #createTaskOnCaller}). Any thread.
     *
     * @param expected the thread found by {@link #runningTaskThread()}, may be {@code null} (then nothing is done)
     * @return whether it was interrupted
     * @since 0.1.0
     */
    boolean interruptTaskStep(Thread expected);

    /**
     * Derives the tag of work from the work that creates it, for {@link #tagWork(Object, TagInheritance)}.
     *
     * @since 0.1.0
     */
    @FunctionalInterface
    interface TagInheritance {
        /**
         * The tag of work created while tagged work runs. Called on the loop's thread.
         *
         * @param parentTag the tag of the running task or callback, not {@code null}
         * @param parentSite where the running task or callback was created, or {@code null} if unknown
         * @return the child's tag, may be {@code null}
         */
        Object inherit(Object parentTag, StackTraceElement parentSite);
    }

    // ---- failures and the timed run ------------------------------------------------------------------------

    /**
     * The callbacks of the loop's users waiting to run, first to run first: a callback chain that posts itself
     * again each time it runs shows here once the owner has stopped running the loop. Cancelled handles, task steps
     * and the loop's own callbacks (wake-ups and done callbacks of futures, which belong to a task or future) are
     * left out. On the loop's thread or while it is not running, under whatever orders its runs.
     *
     * @return a snapshot
     * @since 0.1.0
     */
    List<Handle> pendingCallbacks();

    /**
     * The failed futures and tasks whose exception nobody retrieved yet, which the close would report. On the
     * loop's thread or while it is not running.
     *
     * @return a snapshot, oldest first
     */
    List<LoopFuture<?>> unretrievedFailures();

    /**
     * Forgets an unretrieved failure without reporting it: the owner reported it already. Futures of other loops
     * and futures without a failure are left as they are.
     *
     * @param future the future; must not be {@code null}
     * @throws NullPointerException if {@code future} is {@code null}
     */
    void forgetFailure(LoopFuture<?> future);

    /**
     * The thread of the task that holds control of the loop right now, for a watchdog that must interrupt a task
     * blocked in a call that is not an await. Any thread.
     *
     * @return the task's thread, or {@code null} if no task step runs
     */
    Thread runningTaskThread();

    /**
     * Gives up the task step that holds the loop now, for an owner whose limit has passed while a coroutine blocks
     * in a call that ignores interrupts: the loop takes control back, the task ends cancelled and its thread goes
     * on alone until the call returns. The loop stays usable. Any thread.
     *
     * @return whether a task step held the loop to be given up
     */
    boolean giveUpBlockedStep();

    /**
     * The declared work on other threads ({@code runInExecutor}, {@code wrapFuture}) that holds virtual time
     * still now, one line each, for a timeout's report. Any thread.
     *
     * @return a snapshot, oldest first; empty if nothing is held
     */
    List<String> workHoldingTheClock();

    /**
     * Decides how a foreign stage that nobody declared, completed by another thread after virtual time jumped, is
     * reported to the exception handler: with an {@link IllegalStateException} (the default), or as a warning
     * without one. Any thread.
     *
     * @param fails whether the report carries an exception
     */
    void setUndeclaredCompletionFails(boolean fails);

    /**
     * Has an explored schedule decide timer lateness and the delivery of work from other threads from now on.
     * Call it before the loop runs.
     *
     * @param schedule a schedule from {@link ExploredSchedule#seeded}; must not be {@code null}
     * @throws NullPointerException if {@code schedule} is {@code null}
     * @throws IllegalArgumentException if the schedule was not made by {@link ExploredSchedule#seeded}
     */
    void explore(ExploredSchedule schedule);
}
