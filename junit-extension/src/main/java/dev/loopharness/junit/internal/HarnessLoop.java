package dev.loopharness.junit.internal;

import dev.loopharness.Coroutine;
import dev.loopharness.EventLoop;
import dev.loopharness.EventLoopClosedException;
import dev.loopharness.EventLoops;
import dev.loopharness.ExceptionContext;
import dev.loopharness.Handle;
import dev.loopharness.LoopClock;
import dev.loopharness.LoopFuture;
import dev.loopharness.Task;
import dev.loopharness.TimerHandle;
import dev.loopharness.VirtualClock;
import dev.loopharness.VirtualTimeDeadlockException;
import dev.loopharness.internal.CurrentLoop;
import dev.loopharness.internal.DefaultEventLoop;
import dev.loopharness.internal.DroppedWork;
import dev.loopharness.internal.Runner;
import dev.loopharness.junit.ClockMode;
import dev.loopharness.junit.LoopCallbackError;
import dev.loopharness.junit.LoopTimeoutError;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A loop the harness owns: created for a scope (a test, a class, the run), guarded so that tests cannot close or
 * stop it, run by one test invocation at a time, shut down in asyncio's order when its scope ends.
 *
 * <p>Invocations on a shared loop take turns (a lock): the loop runs on the thread of the invocation that holds
 * it, so parallel tests never meet "This event loop is already running"; the price is that they do not overlap
 * on that loop. Every task, timer and callback is tagged with the test that scheduled it ({@link Attribution}),
 * transitively: work created while a callback, timer or task step runs belongs to the test that created that
 * callback, and work posted from other threads to the test that holds the turn, or to the scope between tests.
 * So what a test leaves behind and the errors it causes are reported to that test.
 */
final class HarnessLoop implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger("dev.loopharness.junit");

    /** How long past its timeout a test may hold the loop before its thread is interrupted. */
    private static final Duration BLOCKED_GRACE = Duration.ofSeconds(1);

    private final DefaultEventLoop loop;
    private final String owner;
    private final VirtualClock virtualClock;
    private final ReentrantLock turn = new ReentrantLock();
    private final BodyThread bodyThread;

    /** For a SHARED loop, what its close reports as the run ends; {@code null} for other scopes. */
    private RunEndCheck runEnd;

    private final List<ExceptionContext> reports = new ArrayList<>();

    /** Warnings of the loop (slow callbacks and steps) not yet handed to the test they belong to. */
    private final List<ExceptionContext> warnings = new ArrayList<>();

    /** Set while a test method runs on the loop as a coroutine; read by other threads. */
    private volatile CurrentRun current;

    HarnessLoop(ClockMode clock, boolean debug, String owner) {
        this.virtualClock = clock == ClockMode.VIRTUAL ? new VirtualClock() : null;
        this.loop = new DefaultEventLoop(virtualClock != null ? virtualClock : LoopClock.system());
        loop.setDebug(debug);
        loop.tagWork(null, Attribution::inherit);
        this.owner = owner;
        this.bodyThread = new BodyThread(loop, owner, BLOCKED_GRACE);
        loop.guard(owner);
        loop.setExceptionHandler((ignored, context) -> report(context));
        loop.onConfinementViolation(this::confinementViolated);
    }

    /**
     * A call from another thread that only the loop's thread may make (debug mode) was refused there: the error
     * would reach only that thread, and the test, waiting for what the call should have done, would hang until
     * its timeout. The test running on the loop fails with the error at once instead. Any thread.
     */
    private void confinementViolated(IllegalStateException violation) {
        CurrentRun run = current;
        if (run == null) {
            return;
        }
        try {
            loop.callSoonThreadsafe(() -> {
                if (!run.outcome.isDone()) {
                    run.violation.compareAndSet(null, violation);
                    run.outcome.setException(violation);
                    run.task.cancel();
                }
            });
        } catch (EventLoopClosedException closed) {
            // the loop's scope has ended: no test is left to tell
        }
    }

    /** The test method running on the loop now, as a coroutine. */
    private record CurrentRun(
            LoopFuture<Object> outcome, Task<Object> task, AtomicReference<IllegalStateException> violation) {}

    EventLoop loop() {
        return loop;
    }

    /**
     * Decides whether an awaited foreign stage that another thread completes after virtual time jumped fails the
     * test that awaited it (the default) or only warns.
     */
    void undeclaredWorkFails(boolean fails) {
        loop.setUndeclaredCompletionFails(fails);
    }

    VirtualClock virtualClock() {
        return virtualClock;
    }

    private void report(ExceptionContext context) {
        if (context.exception() == null) {
            LOGGER.log(Level.WARNING, loop + ": " + Messages.warning(context.toString()));
            warnings.add(context);
        } else {
            reports.add(context);
        }
    }

    /**
     * Runs a test or lifecycle method as a coroutine on the loop, waiting for its turn on a shared loop.
     *
     * @param body the method
     * @param tag the test it belongs to
     * @param name the test's name, for messages and the task's name
     * @param timeout the real time it may take
     * @param watchdog times it
     */
    void run(Coroutine<Object> body, Object tag, String name, Duration timeout, Watchdog watchdog) {
        turn.lock();
        try {
            loop.setActivity(Messages.activity(name));
            loop.tagWork(Attribution.of((String) tag));
            loop.setNestedRunHint(Messages.nestedRun(name));
            runTimed(body, tag, name, timeout, watchdog);
        } finally {
            loop.setNestedRunHint(null);
            loop.tagWork(null);
            loop.setActivity(null);
            turn.unlock();
        }
    }

    /**
     * Runs a test or lifecycle method on the scope's {@link BodyThread}, which drives the loop itself ({@code body =
     * TEST_THREAD}), waiting for its turn on a shared loop. Work it creates belongs to the test; {@code
     * EventLoops.getEventLoop()} answers the loop on that thread meanwhile; the loop may be stopped, not closed.
     * Past the timeout the test's tasks are cancelled and the thread is interrupted, and the test fails with a
     * {@link LoopTimeoutError} to which its own failure is attached; a thread still blocked is abandoned.
     *
     * @param body the method
     * @param tag the test it belongs to
     * @param name the test's name, for messages
     * @param timeout the real time it may take
     * @throws Exception what the method throws
     */
    void runOnTestThread(Coroutine<Object> body, Object tag, String name, Duration timeout) throws Exception {
        turn.lock();
        AtomicBoolean live = new AtomicBoolean(true);
        try {
            loop.setActivity(Messages.activity(name));
            loop.tagWork(Attribution.of((String) tag));
            loop.allowStop(true);
            Coroutine<Object> onTheLoop = () -> {
                EventLoop previousDefault = CurrentLoop.defaultLoop();
                EventLoops.setEventLoop(loop);
                try {
                    return body.run();
                } finally {
                    EventLoops.setEventLoop(previousDefault);
                }
            };
            // past the timeout the body's tasks are cancelled and the loop stopped, if the body still drives it: a
            // post that the loop runs only later, in the next test, does nothing
            bodyThread.run(
                    onTheLoop,
                    name,
                    timeout,
                    virtualClock != null,
                    () -> loop.callSoonThreadsafe(() -> {
                        if (live.get()) {
                            pendingTasks(tag).forEach(task -> task.cancel());
                            loop.stop();
                        }
                    }));
        } finally {
            live.set(false);
            loop.allowStop(false);
            loop.tagWork(null);
            loop.setActivity(null);
            turn.unlock();
        }
    }

    /**
     * Runs the body until it completes or its time is up. The loop runs until an outcome is settled, by the task
     * or by the watchdog, so that a task the timeout cannot wake (one blocked in a call that is not an await)
     * still ends the wait.
     */
    private void runTimed(Coroutine<Object> body, Object tag, String name, Duration timeout, Watchdog watchdog) {
        Task<Object> task = loop.createTask(body, Attribution.of((String) tag));
        task.setName(name);
        LoopFuture<Object> outcome = loop.createFuture();
        AtomicReference<LoopTimeoutError> expired = new AtomicReference<>();
        task.addDoneCallback(done -> {
            if (!outcome.isDone()) {
                LoopTimeoutError timedOut = expired.get();
                if (timedOut == null) {
                    settleLike(outcome, done);
                } else {
                    timedOut.addSuppressed(done.isCancelled() ? new CancellationException() : done.exception());
                    outcome.setException(timedOut);
                }
            }
        });
        Watchdog.Alarm alarm = watchdog.after(timeout, () -> {
            loop.callSoonThreadsafe(() -> {
                if (!outcome.isDone()) {
                    LoopTimeoutError timedOut = new LoopTimeoutError(Messages.timedOut(
                                    name,
                                    timeout,
                                    pendingTasks(null),
                                    pendingTimers(null),
                                    loop.time(),
                                    virtualClock != null)
                            + Messages.heldTheClock(loop.workHoldingTheClock()));
                    expired.compareAndSet(null, timedOut);
                    outcome.setException(timedOut);
                    task.cancel("timed out after " + timeout);
                }
            });
            watchdog.after(BLOCKED_GRACE, () -> interruptIfBlocked(outcome, expired, name, timeout, watchdog));
        });
        CurrentRun run = new CurrentRun(outcome, task, new AtomicReference<>());
        current = run;
        try {
            loop.runUntilComplete(outcome);
        } catch (VirtualTimeDeadlockException deadlock) {
            task.cancel("deadlocked");
            settle(List.of(task));
            throw deadlock;
        } catch (IllegalStateException failure) {
            if (failure == run.violation.get()) {
                settle(List.of(task));
            }
            throw failure;
        } finally {
            current = null;
            alarm.cancel();
        }
    }

    /**
     * Past the timeout, a task that still holds the loop is blocked in a call that is not an await (a sleep, a
     * lock, blocking I/O): the loop cannot even run the timeout. Interrupting the task's thread is the only way
     * to end the test so that the run goes on.
     */
    private void interruptIfBlocked(
            LoopFuture<Object> outcome,
            AtomicReference<LoopTimeoutError> expired,
            String name,
            Duration timeout,
            Watchdog watchdog) {
        Thread blocked = loop.runningTaskThread();
        if (outcome.isDone() || blocked == null) {
            return;
        }
        LoopTimeoutError timedOut = new LoopTimeoutError(Messages.blocked(name, timeout, blocked.getStackTrace()));
        if (expired.compareAndSet(null, timedOut)) {
            blocked.interrupt();
        }
        watchdog.after(BLOCKED_GRACE, () -> giveUpIfStillBlocked(expired, blocked, name, timeout));
    }

    /**
     * A task that the interrupt did not free blocks in a call that ignores interrupts ({@code
     * ReentrantLock.lock()}, a socket read): the loop gives its step up, so that the test fails and the run goes
     * on; the task is abandoned, its thread left blocked until the call returns.
     */
    private void giveUpIfStillBlocked(
            AtomicReference<LoopTimeoutError> expired, Thread blocked, String name, Duration timeout) {
        if (loop.runningTaskThread() != blocked) {
            return;
        }
        expired.set(new LoopTimeoutError(
                Messages.abandoned(name, timeout, BLOCKED_GRACE, blocked.getName(), blocked.getStackTrace())));
        loop.giveUpBlockedStep();
    }

    private static void settleLike(LoopFuture<Object> outcome, LoopFuture<Object> done) {
        if (done.isCancelled()) {
            outcome.cancel();
        } else if (done.exception() != null) {
            outcome.setException(done.exception());
        } else {
            outcome.setResult(done.result());
        }
    }

    /** The tasks not done yet that the test scheduled ({@code tag}), or all of them for {@code null}. */
    List<Task<?>> pendingTasks(Object tag) {
        return pendingTasks(tag, false);
    }

    /** The pending timers the test scheduled, or all of them for {@code null}. */
    List<TimerHandle> pendingTimers(Object tag) {
        return pendingTimers(tag, false);
    }

    private List<Task<?>> pendingTasks(Object tag, boolean withScope) {
        List<Task<?>> found = new ArrayList<>();
        for (Task<?> task : loop.allTasks()) {
            if (owned(task, tag, withScope)) {
                found.add(task);
            }
        }
        return found;
    }

    private List<TimerHandle> pendingTimers(Object tag, boolean withScope) {
        List<TimerHandle> found = new ArrayList<>();
        for (TimerHandle timer : loop.pendingTimers()) {
            if (owned(timer, tag, withScope)) {
                found.add(timer);
            }
        }
        return found;
    }

    /** The callbacks waiting to run that the test posted, or its work re-posted (a chain that re-arms itself). */
    private List<Handle> pendingCallbacks(Object tag, boolean withScope) {
        List<Handle> found = new ArrayList<>();
        for (Handle callback : loop.pendingCallbacks()) {
            if (owned(callback, tag, withScope)) {
                found.add(callback);
            }
        }
        return found;
    }

    /** Whether work belongs to {@code tag} (any owner for {@code null}), or to the scope if asked. */
    private static boolean owned(Object work, Object tag, boolean withScope) {
        String owner = Attribution.ownerOf(work);
        return tag == null || tag.equals(owner) || withScope && owner == null;
    }

    /**
     * Checks what a test left behind, under its turn: errors from callbacks and unretrieved task exceptions
     * (always an error), and pending work, which the leak policy decides about.
     */
    LeakCheck check(Object tag, String name) {
        return check(tag, name, false);
    }

    /**
     * Checks what a scope left behind as it ends: the work of its class-level methods ({@code tag}) and the work
     * no test owns (posted from other threads between tests, say).
     */
    LeakCheck checkScope(Object tag, String name) {
        return check(tag, name, true);
    }

    private LeakCheck check(Object tag, String name, boolean withScope) {
        turn.lock();
        try {
            for (LoopFuture<?> failed : loop.unretrievedFailures()) {
                if (Attribution.ownerOf(failed) == null || tag.equals(Attribution.ownerOf(failed))) {
                    loop.forgetFailure(failed);
                    reports.add(ExceptionContext.of("Task exception was never retrieved", failed.exception()));
                }
            }
            List<ExceptionContext> errors = take(reports, tag);
            LoopCallbackError callbackError = null;
            if (!errors.isEmpty()) {
                callbackError = new LoopCallbackError(Messages.callbackErrors(name, errors));
                for (ExceptionContext error : errors) {
                    callbackError.addSuppressed(error.exception());
                }
            }
            List<String> warningTexts = new ArrayList<>();
            for (ExceptionContext warning : take(warnings, tag)) {
                warningTexts.add(Messages.warning(warning.toString()));
            }
            return new LeakCheck(
                    pendingTasks(tag, withScope),
                    pendingTimers(tag, withScope),
                    pendingCallbacks(tag, withScope),
                    loop.time(),
                    callbackError,
                    warningTexts);
        } finally {
            turn.unlock();
        }
    }

    /** Takes from a list the reports that belong to the test: its own, and those of work nobody owns. */
    private static List<ExceptionContext> take(List<ExceptionContext> from, Object tag) {
        List<ExceptionContext> mine = new ArrayList<>();
        from.removeIf(report -> {
            Object owner = report.task()
                    .map(Attribution::ownerOf)
                    .orElseGet(() -> report.handle().map(Attribution::ownerOf).orElse(null));
            boolean belongs = owner == null || owner.equals(tag);
            if (belongs) {
                mine.add(report);
            }
            return belongs;
        });
        return mine;
    }

    /** Cancels leftovers and runs the loop until they have settled. */
    void cancel(LeakCheck leftovers) {
        turn.lock();
        try {
            leftovers.timers.forEach(DefaultEventLoop::cancelWork);
            leftovers.callbacks.forEach(DefaultEventLoop::cancelWork);
            List<Task<?>> tasks = leftovers.tasks;
            for (Task<?> task : tasks) {
                task.cancel();
            }
            settle(tasks);
            reports.clear();
            warnings.clear();
        } finally {
            turn.unlock();
        }
    }

    private void settle(List<Task<?>> tasks) {
        for (Task<?> task : tasks) {
            try {
                loop.runUntilComplete(task);
            } catch (CancellationException cancelled) {
                // the outcome asked for; any other failure of the task goes on to the test
            }
        }
    }

    /**
     * Shuts the loop down in asyncio's order; its guard is lifted for that, and the record of who closed it names
     * the owner.
     */
    @Override
    public void close() {
        AssertionError leftovers = runEnd == null ? null : runEnd.beforeClose(this);
        turn.lock();
        try {
            Runner.shutdownAsOwner(loop, owner);
        } finally {
            bodyThread.close();
            turn.unlock();
        }
        DroppedWork dropped = loop.droppedAtClose();
        if (dropped.total() > 0) {
            LOGGER.log(Level.WARNING, Messages.droppedAtClose(loop.toString(), owner, dropped.toString()));
        }
        if (leftovers != null) {
            throw leftovers;
        }
    }

    /** Makes the close of a SHARED loop report what it still holds as the run ends. */
    void checkAtRunEnd(RunEndCheck check) {
        this.runEnd = check;
    }

    /** What a test left behind. */
    record LeakCheck(
            List<Task<?>> tasks,
            List<TimerHandle> timers,
            List<Handle> callbacks,
            long now,
            LoopCallbackError callbackError,
            List<String> warnings) {
        boolean leaked() {
            return !tasks.isEmpty() || !timers.isEmpty() || !callbacks.isEmpty();
        }
    }
}
