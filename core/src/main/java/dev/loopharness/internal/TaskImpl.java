package dev.loopharness.internal;

import dev.loopharness.Coroutine;
import dev.loopharness.Task;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A coroutine running on its own thread, one step at a time. Control passes like a baton ({@link Baton}):
 * {@link #step()}, on the loop's thread, hands the baton to the task's thread and parks until the task hands it
 * back by suspending in {@link #await} or by finishing. Only the holder of the baton runs, so a task never runs
 * concurrently with its loop or with other tasks. A first step taken on the thread that runs the loop is {@link
 * CallerStep}'s; what the loop reports about a task (a slow step, a task that outlived its loop's close) is {@link
 * TaskWarnings}'.
 */
final class TaskImpl<T> extends FutureImpl<T> implements Task<T> {

    private static final AtomicLong COUNTER = new AtomicLong();
    private static final ThreadLocal<TaskImpl<?>> CURRENT = new ThreadLocal<>();

    private final Coroutine<T> coroutine;
    private final StackTraceElement createdAt;
    private final TaskStep stepHandle;
    private final Runnable wakeup = this::step;
    private final Runnable settleFinished = this::settleFinished;
    private final Runnable resumeBroken = this::resumeBrokenSuspension;
    private volatile String name;

    /** Who created the task (a test, under the extension), when the loop tags its work; else {@code null}. */
    Object tag;

    private Thread thread;
    private final Baton baton = new Baton();

    /** Set while the first step runs on the thread that runs the loop, until the task suspends ({@link CallerStep}). */
    private CallerStep onCaller;

    /** Whether the task's thread is the caller's ({@link CallerStep}), which the task does not own or rename. */
    private boolean threadIsCaller;

    /** The future the task waits for, while it waits. */
    private FutureImpl<?> waitingOn;

    private boolean mustCancel;
    private String cancelMessage;
    private volatile CloseRecord unwinding;

    /** Why the loop gave up this task's blocked step; null unless it did. */
    private volatile String abandonedBecause;

    private boolean finished;
    private T outcome;
    private Throwable thrown;

    /** Cancellation requests not yet withdrawn by {@link #uncancel()}: asyncio's {@code _num_cancels_requested}. */
    private int cancelRequests;

    TaskImpl(DefaultEventLoop loop, Coroutine<T> coroutine, StackTraceElement createdAt) {
        super(loop);
        this.coroutine = coroutine;
        this.createdAt = createdAt;
        this.name = "Task-" + COUNTER.incrementAndGet();
        this.stepHandle = new TaskStep(loop, this);
    }

    /**
     * The task whose coroutine runs on this thread.
     *
     * @return the task, or {@code null} on a thread that is not a task's
     */
    static TaskImpl<?> current() {
        return CURRENT.get();
    }

    void scheduleStep() {
        loop.callSoonStep(stepHandle);
    }

    TaskStep stepHandle() {
        return stepHandle;
    }

    // ---- the loop's side -----------------------------------------------------------------------------------

    /** Runs the task until it suspends or finishes. Called on the loop's thread, by a callback. */
    void step() {
        if (isDone()) {
            return;
        }
        long entered = loop.isDebug() ? System.nanoTime() : 0;
        if (thread == null) {
            if (mustCancel) {
                loop.tasks.done(this);
                cancelNow(cancellation());
                return;
            }
            thread = loop.handOff.runner().carrier(this::body, name);
        }
        long start = entered != 0 ? System.nanoTime() : 0;
        loop.handOff.takeGiveUp(); // a request left from a step that ended on its own is stale
        StackTraceElement[] sample = resume();
        if (baton.abandoned()) {
            abandonBlockedStep();
            return;
        }
        if (start != 0) {
            // polls that moved virtual time without suspending (advanceIdleTo) end a step as a suspension does
            TaskWarnings.slowStep(this, System.nanoTime() - Math.max(start, loop.run.idleAdvancedAt()), sample);
        }
        if (finished) {
            loop.withoutCreationSite(settleFinished);
        } else {
            loop.handOff.taskSuspended();
        }
        if (entered != 0) {
            // the whole step is the task's to report, not the callback's that ran it
            loop.callbacks.addStepNanos(System.nanoTime() - entered);
        }
    }

    /** Passes the baton to the task's thread and waits for it to come back; returns a slow step's stack. */
    private StackTraceElement[] resume() {
        Thread target = thread;
        long slowNanos = loop.isDebug() ? loop.slowCallbackNanos() : 0;
        StackTraceElement[][] sample = new StackTraceElement[1][];
        loop.handOff.handOver(
                target,
                () -> sample[0] = baton.pass(target, slowNanos, loop.handOff::takeGiveUp, loop.run::idleAdvancedAt));
        return sample[0];
    }

    /**
     * Ends a task whose step the loop gave up: it is cancelled and forgotten by the loop, while its thread, blocked
     * in a call that ignores interrupts, goes on alone; once that call returns, every await in it throws. Loop
     * side.
     */
    private void abandonBlockedStep() {
        String why = "Task " + name + " was abandoned: it blocked its loop in a call that is not an await and"
                + " ignores interrupts";
        abandonedBecause = why;
        loop.tasks.done(this);
        cancelNow(new CancellationException(why));
    }

    private void settleFinished() {
        loop.tasks.done(this);
        Throwable failure = thrown;
        if (failure == null && mustCancel) {
            // a request made while the task ran (it cancelled itself) and never delivered: asyncio ends it cancelled
            cancelNow(cancellation());
        } else if (failure == null) {
            complete(outcome);
        } else if (failure instanceof CancellationException) {
            cancelNow((CancellationException) failure);
        } else {
            fail(failure, true);
            Throwables.rethrowIfFatal(failure);
        }
        outcome = null;
    }

    /**
     * Ends the task for a closing loop: unwinds its thread if it started, and drops its callbacks. A task whose
     * thread has not handed control back within {@code timeoutNanos} (it caught the cancellation and went on, or
     * it blocks) is abandoned and reported: the close must return whatever a coroutine does.
     */
    void unwind(CloseRecord record, long timeoutNanos) {
        CancellationException cancellation =
                new CancellationException("Task " + name + " was unwound because its loop closed");
        if (thread != null && !finished) {
            unwinding = record;
            if (!resumeWithin(timeoutNanos)) {
                reportAbandoned(timeoutNanos);
            }
        }
        abandon(cancellation);
    }

    /** Like {@link #resume()}, but gives up after the timeout: then the task is abandoned and false returned. */
    private boolean resumeWithin(long timeoutNanos) {
        Thread target = thread;
        boolean[] back = new boolean[1];
        loop.handOff.handOver(target, () -> back[0] = baton.passWithin(target, timeoutNanos));
        return back[0];
    }

    /** Interrupts the thread of a task that did not end in time, and reports where it was. */
    private void reportAbandoned(long timeoutNanos) {
        Thread target = thread;
        List<StackTraceElement> frames = StackFrames.userFrames(target.getStackTrace());
        target.interrupt();
        TaskWarnings.notEndedAtClose(this, frames, timeoutNanos);
    }

    // ---- a first step on the caller's thread (CallerStep) -----------------------------------------------------

    /**
     * Runs the task's first step on the calling thread, which runs the loop: that thread is the task's thread for
     * as long as the coroutine lasts. Its own context and default loop are the same afterwards as before.
     *
     * @param first the caller's side of the step, told when the task first suspends
     * @return whether the coroutine ended without suspending: the caller is then still the loop's thread, and
     *     settles the task with {@link #settleAfterFirstStep()}
     */
    boolean stepOnCaller(CallerStep first) {
        thread = Thread.currentThread();
        threadIsCaller = true;
        onCaller = first;
        baton.holdOnCaller();
        loop.handOff.stepInline(thread);
        Contexts.runIn(stepHandle.context, this::coroutineOnCaller);
        boolean withoutSuspending = onCaller != null;
        onCaller = null;
        // the caller goes back to its own work: no interrupt meant for the task follows it
        loop.handOff.taskThreadLeaving();
        baton.passBack(); // without a suspension nobody waits: the baton simply returns to the loop's side
        return withoutSuspending;
    }

    /** When the first step on the caller ended the coroutine: settles the task as {@link #step()} does. */
    void settleAfterFirstStep() {
        if (finished) {
            loop.withoutCreationSite(settleFinished);
        }
    }

    private void coroutineOnCaller() {
        dev.loopharness.EventLoop callersDefault = CurrentLoop.defaultLoop();
        CURRENT.set(this);
        try {
            runCoroutine();
        } finally {
            CURRENT.remove();
            CurrentLoop.setDefaultLoop(callersDefault);
        }
    }

    /** The driver that took over the loop waits here for the baton that the caller passes back on suspending. */
    void awaitFirstPassBack() {
        baton.awaitPassBack();
    }

    // ---- the task's side -----------------------------------------------------------------------------------

    private void body() {
        Contexts.enterTask(stepHandle.context); // captured when the task was created
        CurrentLoop.enter(loop);
        CURRENT.set(this);
        runCoroutine();
        // the carrier may serve another task next (CarrierPool): it keeps nothing of this one's
        CURRENT.remove();
        CurrentLoop.exit(null);
        CurrentLoop.setDefaultLoop(null);
        loop.handOff.taskThreadLeaving();
        CarrierPool.release();
        baton.passBack();
    }

    private void runCoroutine() {
        T result = null;
        Throwable failure = null;
        try {
            result = coroutine.run();
        } catch (Throwable t) {
            failure = t;
        }
        regainBaton();
        outcome = result;
        thrown = failure;
        finished = true;
    }

    /**
     * Takes the baton back after a suspension that failed half-way, before the task touches the loop again (any
     * {@code Async} call, an await, or its end): {@link Baton#regainAfterBrokenSuspension}. Task thread only; one
     * volatile read on the common path.
     */
    void regainBaton() {
        baton.regainAfterBrokenSuspension(loop, resumeBroken);
    }

    /** The loop's side of {@link #regainBaton()}: resumes the task unless a wakeup did already. */
    private void resumeBrokenSuspension() {
        if (baton.brokenSuspension()) {
            step();
        }
    }

    /** Hands the baton back and parks until the loop resumes this task. Task thread only. */
    private void suspend() {
        CallerStep first = onCaller;
        if (first != null) {
            onCaller = null;
            first.suspending(baton);
        }
        baton.suspend(loop.handOff.runner().virtual());
    }

    /**
     * Waits for a stage: returns its result, or throws its failure or this task's cancellation. Task thread
     * only.
     */
    <U> U await(CompletionStage<U> stage) {
        regainBaton();
        checkUnwinding();
        FutureImpl<U> future = loop.adopt(stage);
        if (future == this) {
            throw new IllegalStateException("Task " + name + " cannot await itself: it would wait forever");
        }
        if (!future.isDone()) {
            if (mustCancel) {
                future.requestCancel(cancelMessage);
                throw cancellation();
            }
            waitingOn = future;
            future.whenDone(wakeup);
            try {
                // a stale wakeup (from an await that a stack overflow cut short) may resume the task early
                do {
                    suspend();
                } while (!future.isDone() && !mustCancel && unwinding == null);
            } finally {
                waitingOn = null;
            }
            checkUnwinding();
        }
        if (mustCancel) {
            throw cancellation();
        }
        Throwable failure = loop.isDebug() && future.isDone() ? future.failureOrCancellation() : null;
        if (failure != null && !future.isCancelled()) {
            AwaitedAt.stitch(failure, this);
        }
        return future.result();
    }

    /** Lets the other ready callbacks and tasks run once: {@code Async.sleep(Duration.ZERO)}. */
    void yieldOnce() {
        regainBaton();
        checkUnwinding();
        loop.callSoonStep(stepHandle);
        suspend();
        checkUnwinding();
        if (mustCancel) {
            throw cancellation();
        }
    }

    private void checkUnwinding() {
        String abandonment = abandonedBecause;
        if (abandonment != null) {
            throw new CancellationException(abandonment);
        }
        CloseRecord record = unwinding;
        if (record != null) {
            CancellationException unwound = new CancellationException(
                    "Task " + name + " was unwound: " + record.exception().getMessage());
            throw unwound;
        }
    }

    private CancellationException cancellation() {
        mustCancel = false;
        return new CancellationException(cancelMessage);
    }

    // ---- Task ----------------------------------------------------------------------------------------------

    @Override
    public boolean cancel() {
        loop.checkThread("Task.cancel");
        return requestCancel(null);
    }

    @Override
    public boolean cancel(String message) {
        Arguments.notNull(message, "message");
        loop.checkThread("Task.cancel");
        return requestCancel(message);
    }

    @Override
    boolean requestCancel(String message) {
        if (isDone()) {
            markRetrieved(); // asyncio: cancelling a failed task counts as looking at its exception
            return false;
        }
        cancelRequests++;
        if (waitingOn != null && waitingOn.requestCancel(message)) {
            return true;
        }
        mustCancel = true;
        cancelMessage = message;
        return true;
    }

    /** Refused, as asyncio refuses it: a task's outcome is its coroutine's. */
    @Override
    public void setResult(T result) {
        throw refusedSettle("setResult");
    }

    /** Refused, as asyncio refuses it: a task's outcome is its coroutine's. */
    @Override
    public void setException(Throwable exception) {
        throw refusedSettle("setException");
    }

    private IllegalStateException refusedSettle(String operation) {
        return new IllegalStateException("Task does not support " + operation + "(): " + this
                + " is settled by its coroutine; cancel() it, or settle a future that the coroutine awaits");
    }

    @Override
    public int cancelling() {
        return cancelRequests;
    }

    @Override
    public int uncancel() {
        if (cancelRequests > 0) {
            cancelRequests--;
        }
        return cancelRequests;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public void setName(String newName) {
        name = Arguments.notNull(newName, "name");
        Thread running = thread;
        if (running != null && !finished && !threadIsCaller) { // once finished, a carrier may run another task
            running.setName(newName);
        }
    }

    @Override
    public Optional<StackTraceElement> createdAt() {
        return Optional.ofNullable(createdAt);
    }

    @Override
    public List<StackTraceElement> waitingStack() {
        Thread running = thread;
        if (running == null || !baton.suspended() || isDone()) {
            return List.of();
        }
        StackTraceElement[] frames = running.getStackTrace();
        return baton.suspended() ? StackFrames.userFrames(frames) : List.of();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("<Task '").append(name).append("' ");
        if (!isDone()) {
            text.append("pending");
        } else if (isCancelled()) {
            text.append("cancelled");
        } else {
            Throwable failure = failureOrCancellation();
            text.append(failure == null ? "finished" : "finished exception=" + failure);
        }
        if (createdAt != null) {
            text.append(" created at ").append(StackFrames.format(createdAt));
        }
        return text.append('>').toString();
    }
}
