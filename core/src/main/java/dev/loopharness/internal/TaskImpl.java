// Over 500 lines (about 540): a task has two sides that share its state, the loop's (step, resume, cancel,
// settle) and the coroutine's (body, suspend, await), plus the first step taken on the caller's thread
// (CallerStep); the sections below keep them apart. The Task API itself is small and delegates to FutureImpl.
package dev.loopharness.internal;

import dev.loopharness.Coroutine;
import dev.loopharness.ExceptionContext;
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
 * concurrently with its loop or with other tasks.
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

    /** When that first step started, in debug mode; else 0. Read by the owner's sampling thread. */
    private volatile long onCallerStart;

    /** Whether the task's thread is the caller's ({@link CallerStep}), which the task does not own or rename. */
    private boolean threadIsCaller;

    /** The future the task waits for, while it waits. */
    private FutureImpl<?> waitingOn;

    private boolean mustCancel;
    private String cancelMessage;
    private volatile CloseRecord unwinding;

    /** Why the loop gave up this task's blocked step; null unless it did. */
    private volatile String abandonedBecause;

    /** Set while the task waits for the loop to resume it after a suspension that failed half-way. */
    private volatile boolean brokenSuspension;

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
                loop.taskDone(this);
                cancelNow(cancellation());
                return;
            }
            thread = loop.taskRunner().carrier(this::body, name);
        }
        long start = entered != 0 ? System.nanoTime() : 0;
        loop.takeStepGiveUp(); // a request left from a step that ended on its own is stale
        StackTraceElement[] sample = resume();
        if (baton.abandoned()) {
            abandonBlockedStep();
            return;
        }
        if (start != 0) {
            // polls that moved virtual time without suspending (advanceIdleTo) end a step as a suspension does
            reportIfSlow(System.nanoTime() - Math.max(start, loop.idleAdvancedAt()), sample);
        }
        if (finished) {
            loop.settleTask(settleFinished);
        } else {
            loop.taskSuspended();
        }
        if (entered != 0) {
            // the whole step is the task's to report, not the callback's that ran it
            loop.addStepNanos(System.nanoTime() - entered);
        }
    }

    /** Passes the baton to the task's thread and waits for it to come back; returns a slow step's stack. */
    private StackTraceElement[] resume() {
        Thread target = thread;
        long slowNanos = loop.isDebug() ? loop.slowCallbackNanos() : 0;
        StackTraceElement[][] sample = new StackTraceElement[1][];
        loop.handOver(
                target, () -> sample[0] = baton.pass(target, slowNanos, loop::takeStepGiveUp, loop::idleAdvancedAt));
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
        loop.taskDone(this);
        cancelNow(new CancellationException(why));
    }

    void reportIfSlow(long took, StackTraceElement[] sample) {
        // no sample: the step ended between the threshold and the look at its stack, so it did not block for long,
        // and a warning that cannot say where would only be noise
        if (took < loop.slowCallbackNanos() || sample == null || sample.length == 0 || WarmUp.explains(sample)) {
            return;
        }
        String where = "; it was blocking at " + blockingFrame(sample);
        loop.callExceptionHandler(ExceptionContext.of(
                        "Executing " + this + " took " + Durations.seconds(took) + " seconds" + where
                                + ". Blocking calls stop the whole loop: use Async.sleep() instead of"
                                + " Thread.sleep(), or move blocking work to loop.runInExecutor(null, ...)",
                        null)
                .withTask(this));
    }

    private static String blockingFrame(StackTraceElement[] sample) {
        List<StackTraceElement> user = StackFrames.userFrames(sample);
        StackTraceElement top = sample.length > 0 ? sample[0] : null;
        if (user.isEmpty()) {
            return StackFrames.format(top);
        }
        return StackFrames.format(user.get(0))
                + (top != null && !top.equals(user.get(0)) ? " (in " + StackFrames.format(top) + ")" : "");
    }

    private void settleFinished() {
        loop.taskDone(this);
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
        loop.handOver(target, () -> back[0] = baton.passWithin(target, timeoutNanos));
        return back[0];
    }

    private void reportAbandoned(long timeoutNanos) {
        Thread target = thread;
        List<StackTraceElement> frames = StackFrames.userFrames(target.getStackTrace());
        StringBuilder where = new StringBuilder();
        for (int i = 0; i < Math.min(3, frames.size()); i++) {
            where.append(i == 0 ? "" : " <- ").append(StackFrames.format(frames.get(i)));
        }
        target.interrupt();
        loop.callExceptionHandler(ExceptionContext.of(
                        "Task " + name + " did not end within " + Durations.seconds(timeoutNanos)
                                + " seconds of its loop's close"
                                + (where.length() == 0 ? "" : "; it was running at " + where)
                                + ". A coroutine that catches the CancellationException of its unwinding and"
                                + " awaits again, or that blocks, never ends: let the cancellation propagate. The"
                                + " task is abandoned: its thread was interrupted and goes on alone, and every"
                                + " await in it throws.",
                        null)
                .withTask(this));
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
        onCallerStart = loop.isDebug() ? System.nanoTime() : 0;
        baton.holdOnCaller();
        loop.stepInline(thread);
        Contexts.runIn(stepHandle.context, this::coroutineOnCaller);
        boolean withoutSuspending = onCaller != null;
        onCaller = null;
        loop.taskThreadLeaving(); // the caller goes back to its own work: no interrupt meant for the task follows it
        baton.passBack(); // without a suspension nobody waits: the baton simply returns to the loop's side
        return withoutSuspending;
    }

    /** When the first step on the caller ended the coroutine: settles the task as {@link #step()} does. */
    void settleAfterFirstStep() {
        if (finished) {
            loop.settleTask(settleFinished);
        }
    }

    /** The time the first step on the caller started, in debug mode; else 0. */
    long firstStepStart() {
        return onCallerStart;
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
        loop.taskThreadLeaving();
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
     * Takes the baton back after a suspension that failed half-way. A {@link StackOverflowError} can strike inside
     * the suspension itself (on JDK 21+ parking a virtual thread takes stack), after the baton was handed to the
     * loop: the error then unwinds the coroutine while the loop believes the task waits. Before the task touches
     * the loop again (any {@code Async} call, an await, or its end) it asks the loop to resume it and waits for
     * the baton, so the task fails with the error instead of running beside the loop or leaving it waiting for
     * ever. The request is posted only with stack to spare ({@link #HEADROOM_FRAMES}); without, the error goes
     * on up to a shallower frame, where the next attempt is made. Task thread only; one volatile read on the
     * common path.
     */
    void regainBaton() {
        if (!baton.suspended() || baton.abandoned()) {
            return;
        }
        headroom(HEADROOM_FRAMES);
        brokenSuspension = true;
        if (!loop.isClosed()) {
            loop.callSoonThreadsafe(resumeBroken);
        }
        baton.regain();
        brokenSuspension = false;
    }

    /** Frames that must be free before a post: more than a post takes, so it cannot overflow half-way. */
    private static final int HEADROOM_FRAMES = 256;

    /** Takes {@code frames} frames of stack and gives them back: throws StackOverflowError if they are not free. */
    private static int headroom(int frames) {
        return frames == 0 ? 0 : 1 + headroom(frames - 1);
    }

    /** The loop's side of {@link #regainBaton()}: resumes the task unless a wakeup did already. */
    private void resumeBrokenSuspension() {
        if (brokenSuspension) {
            step();
        }
    }

    /** Hands the baton back and parks until the loop resumes this task. Task thread only. */
    private void suspend() {
        CallerStep first = onCaller;
        if (first != null) {
            onCaller = null;
            first.suspending(baton, onCallerStart);
        }
        baton.suspend(loop.taskRunner().virtual());
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
