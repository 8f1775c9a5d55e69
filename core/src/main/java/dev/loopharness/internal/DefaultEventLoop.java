// Over 500 lines (about 1,000): the EventLoop API (some 45 methods, each a guard and a call to the class that does
// the work, see package-info), the run, and the close sequence; since the harness hooks left for LoopHooks (issue
// #16 part 2), the caller's first step (CallerStep), the loop-time poll (advanceIdleTo) and the leak check's
// pendingCallbacks came in. The next split: the run and close sequences into a class of their own.
package dev.loopharness.internal;

import dev.loopharness.Coroutine;
import dev.loopharness.EventLoop;
import dev.loopharness.EventLoopClosedException;
import dev.loopharness.ExceptionContext;
import dev.loopharness.ExceptionHandler;
import dev.loopharness.Handle;
import dev.loopharness.LoopClock;
import dev.loopharness.LoopFuture;
import dev.loopharness.Task;
import dev.loopharness.TimerHandle;
import dev.loopharness.VirtualClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event loop. One iteration ({@link #runOnce()}) takes in what other threads scheduled, waits if nothing
 * is ready, moves the timers that are due to the ready queue and runs the callbacks that were ready when the
 * iteration began. Callbacks and task steps run in {@link CallbackRunner} only, coroutines on their tasks'
 * threads; every state change goes through {@link #transition}. The package's {@code package-info} maps the
 * classes this one delegates to.
 *
 * <p>Invariant: everything but the incoming queue, {@code state} and the owner ({@link HandOff}) is touched
 * only by the thread that currently owns the loop: the thread running it, the task thread it handed control
 * to, or any thread while it is not running.
 */
public final class DefaultEventLoop implements EventLoop {

    private static final AtomicInteger IDS = new AtomicInteger();
    private static final long DEFAULT_SLOW_CALLBACK_NANOS = 100_000_000L;
    private static final long DEFAULT_UNWIND_TIMEOUT_NANOS = 5_000_000_000L;

    /**
     * The method that runs a loop's iterations: creation sites are looked for above it only ({@link CallSites}).
     * Checked as the class loads, so that renaming the method breaks every loop at once, loudly, instead of
     * letting creation sites silently look past the loop.
     */
    static final String RUN_FRAME = declaredMethod("runHere", boolean.class);

    private final String name = "EventLoop-" + IDS.incrementAndGet();
    private final LoopClock clock;
    private final VirtualTimePolicy virtualTime;
    final HandOff handOff = new HandOff(name);
    private final CallbackRunner callbacks = new CallbackRunner(this);
    private final ArrayDeque<ReadyHandle> ready = callbacks.ready();
    private final TimerQueue timers = new TimerQueue();
    private final IncomingQueue incoming = new IncomingQueue();
    private final Set<TaskImpl<?>> tasks = new LinkedHashSet<>();
    final UnretrievedFailures unretrieved = new UnretrievedFailures();
    final WorkTags tags = new WorkTags();
    final OwnerGuard ownerGuard = new OwnerGuard();

    /** Told when the loop closes: the scheduled-executor views that have pending tasks. Any thread. */
    private final Set<Runnable> closeListeners = Collections.synchronizedSet(new LinkedHashSet<>());

    private final ForeignWork foreign = new ForeignWork(this);
    private final DroppedWork dropped = new DroppedWork();

    /** How many runUntilComplete calls wait on this loop: while one does, idling with nothing to do is a deadlock. */
    private int completionWaiters;

    private final long wallClockOriginMillis = System.currentTimeMillis();
    private final long clockOrigin;

    private volatile LoopState state = LoopState.NOT_RUNNING;

    /** Set by a stop() before a run: the run then starts STOPPING, and runs one iteration. */
    private boolean stopBeforeRun;

    /** Set while a finished task is settled: callbacks scheduled then have no creation site to look for. */
    private boolean settlingTask;

    private boolean debug;
    private long slowCallbackNanos = DEFAULT_SLOW_CALLBACK_NANOS;
    private long unwindTimeoutNanos = DEFAULT_UNWIND_TIMEOUT_NANOS;
    private volatile boolean undeclaredCompletionFails = true;
    private ExceptionHandler exceptionHandler;
    private volatile CloseRecord closeRecord;

    /** Written by the task thread that holds the loop, read by the loop's thread while it times that task's step. */
    private volatile long idleAdvancedAt = Long.MIN_VALUE;

    /** The explored schedule that decides timer lateness and hand-off delays; {@code null}: none (issue #19). */
    private SchedulePerturbation perturbation;

    /**
     * A task whose first step the next run takes on its own thread ({@code LoopHooks.createTaskOnCaller}). Read
     * by the owner's sampling thread ({@code LoopHooks.sampleCallerStep}), which reads {@link #callerStep} first.
     */
    volatile TaskImpl<?> callerTask;

    /** That first step while it runs, for {@code LoopHooks.sampleCallerStep}. */
    volatile CallerStep callerStep;

    /**
     * Creates a loop on a clock.
     *
     * @param clock the clock; must not be {@code null}
     */
    public DefaultEventLoop(LoopClock clock) {
        this.clock = Arguments.notNull(clock, "clock");
        this.virtualTime = clock instanceof VirtualClock
                ? new VirtualTimePolicy(
                        (VirtualClock) clock,
                        foreign,
                        () -> !tasks.isEmpty() || completionWaiters > 0,
                        () -> LoopDiagnostics.deadlockMessage(this, pendingTasks()))
                : null;
        this.clockOrigin = clock.nanoTime();
    }

    @Override
    public LoopClock clock() {
        return clock;
    }

    /** The name of a method of this class, which must exist with these parameters. */
    static String declaredMethod(String name, Class<?>... parameterTypes) {
        try {
            return DefaultEventLoop.class
                    .getDeclaredMethod(name, parameterTypes)
                    .getName();
        } catch (NoSuchMethodException renamed) {
            throw new IllegalStateException(
                    "Internal error: DefaultEventLoop has no method " + name + java.util.Arrays.toString(parameterTypes)
                            + "; CallSites needs it",
                    renamed);
        }
    }

    // ---- guards ------------------------------------------------------------------------------------------

    /** Refuses any call on a closed loop with the exception that says who closed it and where. */
    void checkClosed() {
        if (state == LoopState.CLOSED) {
            throw closedException();
        }
    }

    /** The exception every call on the closed loop receives, naming who closed it and where. */
    EventLoopClosedException closedException() {
        CloseRecord record = closeRecord;
        return record == null
                ? new EventLoopClosedException("Event loop is closed", null, null, null)
                : record.exception();
    }

    private void checkRunnable() {
        checkClosed();
        DefaultEventLoop running = CurrentLoop.running();
        if (state.isRunning() || running == this) {
            TaskImpl<?> task = TaskImpl.current(); // a first step on the loop's own thread is a coroutine's too
            boolean fromCoroutine = task != null && task.loop == this;
            throw new IllegalStateException(
                    (running == this && (fromCoroutine || Thread.currentThread() != handOff.loopThread())
                                    ? "This event loop is already running: runUntilComplete() was called from one of"
                                            + " its own coroutines; use Async.await(...) to wait for a future or task"
                                            + " inside a coroutine"
                                    : "This event loop is already running")
                            + hintOf(this));
        }
        if (running != null) {
            throw new IllegalStateException("Cannot run the event loop while another loop is running (" + running
                    + " runs on thread \"" + Thread.currentThread().getName() + "\")" + hintOf(running));
        }
    }

    /**
     * In debug mode, refuses a non-thread-safe call from a thread other than the loop's while it runs.
     *
     * @param operation the operation, for the message
     */
    public void checkThread(String operation) {
        if (debug) {
            Thread current = handOff.owner();
            if (current != null && current != Thread.currentThread()) {
                IllegalStateException violation = new IllegalStateException("Non-thread-safe operation " + operation
                        + "() invoked from thread \"" + Thread.currentThread().getName() + "\" on " + this
                        + ", which runs on thread \"" + current.getName()
                        + "\"; from other threads use callSoonThreadsafe() or execute()");
                ownerGuard.confinementViolated(violation);
                throw violation;
            }
        }
    }

    /**
     * Tells whether the calling thread may act on the loop now: the loop is not running, or this thread owns
     * it.
     *
     * @return {@code true} if non-thread-safe calls are allowed here
     */
    public boolean isOwnerThread() {
        Thread current = handOff.owner();
        return current == null || current == Thread.currentThread();
    }

    // ---- running -----------------------------------------------------------------------------------------

    @Override
    public void runForever() {
        checkRunnable();
        handOff.run(this::runHere);
    }

    /**
     * Runs iterations on this thread until the loop stops. A run that is not running yet starts here; one that a
     * platform thread handed over goes on ({@link HandOff#run}).
     *
     * @param handOver whether to return early, between iterations, once a task has suspended
     * @return {@code false} if it returned early and the run goes on elsewhere
     */
    private boolean runHere(boolean handOver) {
        Thread thread = Thread.currentThread();
        DefaultEventLoop previous = CurrentLoop.enter(this);
        handOff.enter(thread);
        if (state == LoopState.NOT_RUNNING) {
            transition(stopBeforeRun ? LoopState.STOPPING : LoopState.RUNNING);
            stopBeforeRun = false;
        }
        boolean handingOver = false;
        CallerStep first = takeCallerStep(thread);
        try {
            if (first != null && (first.run() || state != LoopState.RUNNING)) {
                return true; // the first step was the first iteration; if it suspended, a driver ended the run
            }
            do {
                if (handOff.mustMoveToDriver(handOver)) {
                    handingOver = true;
                    return false;
                }
                runOnce();
            } while (state == LoopState.RUNNING);
            return true;
        } finally {
            if (first != null) {
                callerStep = null;
                handingOver |= first.movedToDriver(); // the driver ended the run: its state is not this thread's
            }
            if (!handingOver) {
                transition(LoopState.NOT_RUNNING);
                handOff.exit();
            }
            // handing over, the run goes on: this thread stays the owner until the driver takes over, so that no
            // other thread passes the confinement check (checkThread) in between
            CurrentLoop.exit(previous);
            if (incoming.takeInterrupt()) {
                thread.interrupt();
            }
        }
    }

    /**
     * The first step of a task made by {@code LoopHooks.createTaskOnCaller}, if this run may take it on its own thread:
     * it is the only work ready at the start of the run, so taking it here is the run's first iteration. Else the
     * task's step stays queued and runs as any task's does.
     */
    private CallerStep takeCallerStep(Thread thread) {
        TaskImpl<?> task = callerTask;
        if (task == null) {
            return null;
        }
        TimerHandleImpl nextTimer = timers.firstLive();
        boolean alone = ready.size() == 1
                && ready.peekFirst() == task.stepHandle()
                && incoming.isEmpty()
                && (nextTimer == null || nextTimer.when > clock.nanoTime());
        CallerStep step = null;
        if (alone && perturbation == null && state == LoopState.RUNNING && !task.isDone()) {
            if (ready.pollFirst().take() != null) {
                step = new CallerStep(this, task, thread);
                callerStep = step; // before callerTask is cleared, so that a sampler always sees one of them
            }
        }
        callerTask = null;
        return step;
    }

    /** Goes on with a run that a {@link CallerStep}'s driver took over. Driver thread. */
    void goOnRunning() {
        runHere(false);
    }

    /**
     * Moves the loop to another state: the one place where its state changes, refusing a change that {@link
     * LoopState}'s diagram does not have (which would be a defect of the loop, not of its caller).
     */
    private void transition(LoopState next) {
        LoopState current = state;
        if (!current.canBecome(next)) {
            throw new IllegalStateException("Internal error: " + this + " cannot go from " + current + " to " + next);
        }
        state = next;
    }

    @Override
    public <T> T runUntilComplete(Coroutine<T> coroutine) {
        Arguments.notNull(coroutine, "coroutine");
        checkRunnable();
        return runUntilDone(newTask(coroutine));
    }

    @Override
    public <T> T runUntilComplete(CompletionStage<T> future) {
        Arguments.notNull(future, "future");
        checkRunnable();
        return runUntilDone(adopt(future));
    }

    private <T> T runUntilDone(FutureImpl<T> future) {
        java.util.function.Consumer<LoopFuture<T>> stopper = done -> stopRunning();
        future.addDoneCallbackInternal(stopper);
        completionWaiters++;
        try {
            runForever();
        } finally {
            completionWaiters--;
            future.removeDoneCallbackInternal(stopper);
        }
        if (!future.isDone()) {
            throw new IllegalStateException("Event loop stopped before Future completed.");
        }
        return future.result();
    }

    @Override
    public void stop() {
        ownerGuard.check("stop", this);
        checkThread("stop");
        stopRunning();
    }

    private void stopRunning() {
        switch (state) {
            case RUNNING:
                transition(LoopState.STOPPING);
                break;
            case NOT_RUNNING:
                stopBeforeRun = true;
                break;
            default:
                break;
        }
    }

    /** One iteration of the loop: asyncio's {@code _run_once}. */
    private void runOnce() {
        takeIncoming();
        if (perturbation != null) {
            perturbation.release(ready, false);
        }
        if (ready.isEmpty() && state == LoopState.RUNNING && (perturbation == null || !perturbation.holding())) {
            waitForWork();
        }
        timers.moveDue(clock.nanoTime(), ready, perturbation);
        callbacks.runBatch(debug);
    }

    private void takeIncoming() {
        for (ReadyHandle handle = incoming.poll(); handle != null; handle = incoming.poll()) {
            if (perturbation == null || !perturbation.holdBack(handle)) {
                ready.add(handle);
            }
        }
    }

    /** Waits until a timer is due or another thread schedules something; virtual time decides for itself. */
    private void waitForWork() {
        TimerHandleImpl next = timers.firstLive();
        if (virtualTime != null) {
            virtualTime.idle(next, this::awaitIncoming);
        } else if (next == null) {
            awaitIncoming(-1);
        } else if (next.when > clock.nanoTime()) {
            awaitIncoming(Math.max(1, next.when - clock.nanoTime()));
        }
    }

    /** Parks until another thread schedules a callback or the timeout passes; whether callbacks arrived. */
    private boolean awaitIncoming(long timeoutNanos) {
        boolean arrived = incoming.awaitPost(timeoutNanos);
        takeIncoming();
        return arrived;
    }

    /**
     * Moves virtual time to {@code target} at once when the loop has nothing to do before then, for the coroutine
     * that holds the loop and would otherwise sleep until {@code target}: the outcome is the sleep's, without the
     * hand-off to the loop and back (a poll in loop time, issue #15). It does so only on a virtual clock that jumps
     * at once (no autojump threshold), while the loop runs and explores no schedule, with no callback ready or
     * posted from another thread, no live timer due at or before {@code target} and no declared work holding the
     * clock; otherwise it changes nothing and the caller sleeps as usual. The loop had nothing else to do, so the
     * task's step is timed afresh from here, as after a suspension: a long run of such polls is not a slow step.
     *
     * @param target the loop time to move to, in nanoseconds; later than {@link #time()}
     * @return whether the clock now reads {@code target}
     */
    public boolean advanceIdleTo(long target) {
        TaskImpl<?> task = TaskImpl.current();
        if (virtualTime == null
                || task == null
                || task.loop != this
                || !handOff.isOwner()
                || state != LoopState.RUNNING
                || perturbation != null
                || !ready.isEmpty()
                || !incoming.isEmpty()) {
            return false;
        }
        TimerHandleImpl next = timers.firstLive();
        if (next != null && next.when <= target || !virtualTime.jumpInline(target)) {
            return false;
        }
        idleAdvancedAt = System.nanoTime();
        return true;
    }

    /** When ({@link System#nanoTime()}) {@link #advanceIdleTo} last moved the clock: a running step is timed from then. */
    long idleAdvancedAt() {
        return idleAdvancedAt;
    }

    // ---- scheduling ----------------------------------------------------------------------------------------

    private StackTraceElement creationSite() {
        return debug && !settlingTask ? CallSites.caller().orElse(null) : null;
    }

    /**
     * Settles a task whose coroutine has ended, on the loop's thread. The done callbacks this schedules get no
     * creation site: only the loop's own frames lie above its run frame here, so a walk would find none. Nests:
     * {@code FutureImpl} schedules its bookkeeping callbacks through here too, during a settlement or not.
     */
    void settleTask(Runnable settle) {
        boolean outer = settlingTask;
        settlingTask = true;
        try {
            settle.run();
        } finally {
            settlingTask = outer;
        }
    }

    @Override
    public Handle callSoon(Runnable callback) {
        Arguments.notNull(callback, "callback");
        checkClosed();
        checkThread("callSoon");
        ReadyHandle handle = new ReadyHandle(this, callback, creationSite());
        if (tags.on()) {
            handle.tag(tags.current(this, callbacks.running()));
        }
        ready.add(handle);
        return handle;
    }

    /** Schedules a task's step handle, which the task made when it was created. */
    void callSoonStep(TaskStep step) {
        checkClosed();
        ready.add(step);
    }

    /** Time spent in task steps during the current callback, which the tasks report themselves (debug mode). */
    void addStepNanos(long nanos) {
        callbacks.addStepNanos(nanos);
    }

    /**
     * On the thread that holds the loop, the callback joins the ready queue as {@code callSoon} would, so that both
     * keep one first-in first-out order. From any other thread it is posted; a post that meets a closing loop is
     * withdrawn and refused unless it ran: close sets the state before it drops what was posted, so either this
     * thread sees the loop closed or the close sees the handle and cancels it.
     */
    @Override
    public Handle callSoonThreadsafe(Runnable callback) {
        Arguments.notNull(callback, "callback");
        checkClosed();
        ReadyHandle handle = new ReadyHandle(this, callback, creationSite());
        if (handOff.isOwner()) {
            if (tags.on()) {
                handle.tag(tags.current(this, callbacks.running()));
            }
            ready.add(handle);
            return handle;
        }
        if (tags.on()) {
            handle.tag(tags.defaultTag());
        }
        incoming.post(handle);
        if (state == LoopState.CLOSED && !handle.withdrawUnlessRan()) {
            throw closedException();
        }
        return handle;
    }

    @Override
    public void execute(Runnable command) {
        callSoonThreadsafe(Arguments.notNull(command, "command"));
    }

    @Override
    public TimerHandle callLater(Duration delay, Runnable callback) {
        Arguments.notNull(delay, "delay");
        return callAt(Arguments.saturatedAdd(clock.nanoTime(), Arguments.saturatedNanos(delay)), callback);
    }

    @Override
    public TimerHandle callAt(long deadlineNanos, Runnable callback) {
        Arguments.notNull(callback, "callback");
        checkClosed();
        checkThread("callAt");
        TimerHandleImpl timer = perturbation == null
                ? new TimerHandleImpl(this, callback, creationSite(), deadlineNanos, timers.nextSequence())
                : perturbation.timer(this, callback, creationSite(), deadlineNanos, timers.nextSequence());
        if (tags.on()) {
            timer.tag(tags.current(this, callbacks.running()));
        }
        timers.add(timer);
        return timer;
    }

    /** The loop's timers, for a timer that counts its own cancellation ({@link TimerHandleImpl#cancelled()}). */
    @Override
    public List<TimerHandle> pendingTimers() {
        return timers.pending();
    }

    TimerQueue timers() {
        return timers;
    }

    /**
     * The callbacks of its users waiting in the ready queue, first to run first: a callback chain that posts
     * itself again each time it runs shows here once its owner has stopped running the loop. Left out: cancelled
     * handles, and the loop's own callbacks (task steps, the wake-ups and done callbacks of futures), which belong
     * to a task or future reported as such; tasks of the executor view count as its users' callbacks. Call it on
     * the thread that ran the loop, or under the lock that orders its runs, while the loop does not run.
     */
    List<Handle> pendingCallbacks() {
        List<Handle> found = new ArrayList<>();
        for (ReadyHandle handle : ready) {
            Runnable callback = handle.callback();
            if (!(handle instanceof TaskStep) && callback != null && !isOwnCallback(callback)) {
                found.add(handle);
            }
        }
        return found;
    }

    private static boolean isOwnCallback(Runnable callback) {
        return callback.getClass().getName().startsWith(DefaultEventLoop.class.getPackageName() + ".")
                && !(callback instanceof LoopScheduledFuture);
    }

    @Override
    public long time() {
        return clock.nanoTime();
    }

    // ---- futures and tasks ---------------------------------------------------------------------------------

    @Override
    public <T> LoopFuture<T> createFuture() {
        return new FutureImpl<>(this);
    }

    @Override
    public <T> Task<T> createTask(Coroutine<T> coroutine) {
        return newTask(coroutine);
    }

    @Override
    public <T> Task<T> createTask(String name, Coroutine<T> coroutine) {
        Arguments.notNull(name, "name");
        TaskImpl<T> task = newTask(coroutine);
        task.setName(name);
        return task;
    }

    @Override
    public <T> CompletableFuture<T> runCoroutineThreadsafe(Coroutine<T> coroutine) {
        return ThreadsafeCoroutine.submit(this, coroutine);
    }

    <T> TaskImpl<T> newTask(Coroutine<T> coroutine) {
        return newTask(coroutine, true);
    }

    <T> TaskImpl<T> newTask(Coroutine<T> coroutine, boolean recordSite) {
        Arguments.notNull(coroutine, "coroutine");
        checkClosed();
        checkThread("createTask");
        TaskImpl<T> task = new TaskImpl<>(this, coroutine, recordSite ? creationSite() : null);
        if (tags.on()) {
            task.tag = tags.current(this, callbacks.running());
        }
        tasks.add(task);
        task.scheduleStep();
        return task;
    }

    void taskDone(TaskImpl<?> task) {
        tasks.remove(task);
    }

    void stepInline(Thread thread) {
        handOff.stepInline(thread);
    }

    void stepInlineEnded() {
        handOff.stepInlineEnded();
    }

    void taskThreadLeaving() {
        handOff.taskThreadLeaving();
    }

    /** A task step ended with the task waiting: it will be resumed, so task switches are to come. */
    void taskSuspended() {
        handOff.taskSuspended();
    }

    @Override
    public Set<Task<?>> allTasks() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(tasks));
    }

    TaskRunner taskRunner() {
        return handOff.runner();
    }

    /**
     * Hands control to a task's thread and takes it back when the task suspends or ends; the calling thread owns
     * the loop again afterwards.
     */
    void handOver(Thread taskThread, Runnable resume) {
        handOff.handOver(taskThread, resume);
    }

    void unretrievedFailure(FutureImpl<?> future) {
        unretrieved.add(future);
    }

    void failureRetrieved(FutureImpl<?> future) {
        unretrieved.remove(future);
    }

    /**
     * Reports every failed future and task whose exception nobody retrieved, as asyncio does when it collects
     * them, and forgets them.
     */
    public void reportUnretrievedFailures() {
        unretrieved.report(this);
    }

    @Override
    public <T> LoopFuture<T> runInExecutor(Executor executor, Callable<T> function) {
        Arguments.notNull(function, "function");
        checkClosed();
        checkThread("runInExecutor");
        return foreign.runInExecutor(executor, function);
    }

    /**
     * Shuts the default executor down and waits for its threads to end: asyncio's {@code
     * shutdown_default_executor}. Call it while the loop is not running.
     *
     * @param timeoutNanos how long to wait at most; past it, the exception handler is told
     */
    public void shutdownDefaultExecutor(long timeoutNanos) {
        foreign.shutdownDefaultExecutor(timeoutNanos);
    }

    List<TaskImpl<?>> pendingTasks() {
        return new ArrayList<>(tasks);
    }

    @Override
    public <T> LoopFuture<T> wrapFuture(CompletionStage<T> stage) {
        Arguments.notNull(stage, "stage");
        return adopt(stage, true);
    }

    /**
     * The declared work on other threads that holds virtual time still now, one line each, for a timeout's
     * report. Any thread.
     *
     * @return a snapshot, oldest first; empty if nothing is held
     */
    public List<String> workHoldingTheClock() {
        return foreign.holdingClock();
    }

    /**
     * Decides how an undeclared foreign stage completed by another thread after virtual time jumped is reported
     * to the exception handler: with an {@link IllegalStateException} (the default), or as a warning without one.
     * Any thread.
     *
     * @param fails whether the report carries an exception
     */
    public void setUndeclaredCompletionFails(boolean fails) {
        undeclaredCompletionFails = fails;
    }

    boolean undeclaredCompletionFails() {
        return undeclaredCompletionFails;
    }

    /** The deadlock grace of the loop's virtual clock, for the deadlock report. */
    java.time.Duration virtualDeadlockGrace() {
        return virtualTime.deadlockGrace();
    }

    /**
     * Returns a future of this loop for any stage: the stage itself if it is one, else a future that settles
     * on the loop when the stage does.
     *
     * @param <T> the type of the result
     * @param stage the stage
     * @return a future of this loop
     */
    public <T> FutureImpl<T> adopt(CompletionStage<T> stage) {
        return adopt(stage, false);
    }

    @SuppressWarnings("unchecked")
    private <T> FutureImpl<T> adopt(CompletionStage<T> stage, boolean declared) {
        if (stage instanceof FutureImpl) {
            FutureImpl<T> future = (FutureImpl<T>) stage;
            if (future.loop != this) {
                throw new IllegalArgumentException(future + " belongs to " + future.loop + ", not to " + this
                        + "; to pass a result between loops, use toCompletableFuture()");
            }
            return future;
        }
        if (stage instanceof LoopScheduledFuture && ((LoopScheduledFuture<T>) stage).loop == this) {
            // its timer is this loop's own, not work in flight elsewhere: virtual time must be free to reach it
            return ((LoopScheduledFuture<T>) stage).onLoop();
        }
        checkClosed();
        return foreign.wrap(stage, declared);
    }

    // ---- errors --------------------------------------------------------------------------------------------

    @Override
    public void setExceptionHandler(ExceptionHandler handler) {
        this.exceptionHandler = handler;
    }

    @Override
    public ExceptionHandler getExceptionHandler() {
        return exceptionHandler;
    }

    @Override
    public void callExceptionHandler(ExceptionContext context) {
        Arguments.notNull(context, "context");
        ExceptionHandler handler = exceptionHandler;
        if (handler == null) {
            DefaultExceptionHandler.INSTANCE.handle(this, context);
            return;
        }
        try {
            handler.handle(this, context);
        } catch (Throwable failure) {
            Throwables.rethrowIfFatal(failure);
            DefaultExceptionHandler.INSTANCE.handle(
                    this,
                    ExceptionContext.of("Unhandled error in exception handler, while handling: " + context, failure));
        }
    }

    // ---- debug ---------------------------------------------------------------------------------------------

    @Override
    public void setDebug(boolean on) {
        this.debug = on;
    }

    @Override
    public boolean isDebug() {
        return debug;
    }

    @Override
    public void setSlowCallbackDuration(Duration threshold) {
        slowCallbackNanos = Arguments.saturatedNanos(Arguments.positive(threshold, "threshold"));
    }

    @Override
    public Duration getSlowCallbackDuration() {
        return Duration.ofNanos(slowCallbackNanos);
    }

    long slowCallbackNanos() {
        return slowCallbackNanos;
    }

    @Override
    public void setUnwindTimeout(Duration timeout) {
        unwindTimeoutNanos = Arguments.saturatedNanos(Arguments.positive(timeout, "timeout"));
    }

    @Override
    public Duration getUnwindTimeout() {
        return Duration.ofNanos(unwindTimeoutNanos);
    }

    // ---- views ---------------------------------------------------------------------------------------------

    @Override
    public Clock asClock() {
        return new LoopTimeClock(this, java.time.ZoneOffset.UTC);
    }

    /** A new view each call, so that shutting one down stops that one only. */
    @Override
    public java.util.concurrent.ScheduledExecutorService asScheduledExecutorService() {
        return new LoopScheduledExecutor(this);
    }

    /** Has {@code listener} run when the loop closes, after its tasks are unwound. Any thread. */
    void addCloseListener(Runnable listener) {
        closeListeners.add(listener);
    }

    /** Forgets a listener added with {@link #addCloseListener(Runnable)}. Any thread. */
    void removeCloseListener(Runnable listener) {
        closeListeners.remove(listener);
    }

    private void runCloseListeners() {
        List<Runnable> listeners;
        synchronized (closeListeners) {
            listeners = new ArrayList<>(closeListeners);
            closeListeners.clear();
        }
        listeners.forEach(Runnable::run);
    }

    /**
     * The wall-clock instant of the loop's current time. An {@link java.time.Instant}, not epoch nanoseconds: a
     * virtual clock may start, or be jumped, past 2262, where epoch nanoseconds overflow a long.
     */
    java.time.Instant wallClockInstant() {
        if (virtualTime != null) {
            return virtualTime.instant();
        }
        return java.time.Instant.ofEpochMilli(wallClockOriginMillis).plusNanos(clock.nanoTime() - clockOrigin);
    }

    // ---- lifecycle -----------------------------------------------------------------------------------------

    @Override
    public boolean isRunning() {
        return state.isRunning();
    }

    @Override
    public boolean isClosed() {
        return state == LoopState.CLOSED;
    }

    @Override
    public void close() {
        ownerGuard.check("close", this);
        closeRecorded(null);
    }

    /** Closes the loop; the record names the owner if one is given, else the frame that called close(). */
    private void closeRecorded(String ownerDescription) {
        if (state.isRunning()) {
            throw new IllegalStateException("Cannot close a running event loop");
        }
        if (state == LoopState.CLOSED) {
            return;
        }
        reportUnretrievedFailures();
        closeRecord = ownerDescription != null
                ? CloseRecord.byOwner(name, ownerDescription)
                : CloseRecord.capture(name, debug, activityHere());
        transition(LoopState.CLOSED);
        dropPending();
        unwindTasks();
        runCloseListeners();
        foreign.closeDefaultExecutor();
        dropped.log(this);
    }

    /**
     * Drops what waits to run, as asyncio drops its ready queue, but so that callers can tell: every dropped
     * handle reports {@code isCancelled()}, and the count is kept ({@link #droppedAtClose()}). Runs after the
     * state is CLOSED, so a post racing with the close is either seen here or refused by its sender.
     */
    private void dropPending() {
        if (perturbation != null) {
            perturbation.release(ready, true);
        }
        for (ReadyHandle handle = ready.poll(); handle != null; handle = ready.poll()) {
            if (handle.drop() && !(handle instanceof TaskStep)) {
                dropped.callbacks++;
            }
        }
        timers.clear(timer -> {
            if (timer.drop()) {
                dropped.timers++;
            }
        });
        for (ReadyHandle handle = incoming.poll(); handle != null; handle = incoming.poll()) {
            if (handle.drop()) {
                dropped.fromOtherThreads++;
            }
        }
    }

    /**
     * What the close dropped without running: callbacks, timers, callbacks from other threads and tasks of the
     * scheduled-executor views. Read it after {@code close()} returns.
     *
     * @return the counts; all zero while the loop is open
     */
    public DroppedWork droppedAtClose() {
        return dropped;
    }

    /** Counts a task of a scheduled-executor view that the close cancelled before it ran. */
    void viewTaskDropped() {
        dropped.viewTasks++;
    }

    /** Ends every pending task's thread: its awaits throw, its finally blocks run, its thread ends. */
    private void unwindTasks() {
        List<TaskImpl<?>> pending = new ArrayList<>(tasks);
        tasks.clear();
        for (TaskImpl<?> task : pending) {
            task.unwind(closeRecord, unwindTimeoutNanos);
        }
    }

    @Override
    public String toString() {
        return "<" + name + " "
                + state.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + (virtualTime != null ? " virtual-time" : "") + (debug ? " debug" : "") + ">";
    }

    /** Has an explored schedule decide timer lateness and hand-off delays from now on; before the loop runs. */
    void perturbWith(SchedulePerturbation schedule) {
        perturbation = schedule;
    }

    /** The loop's name, for messages: {@code EventLoop-N}. */
    String name() {
        return name;
    }

    // ---- for a harness: the SPI's implementation, LoopHooks, reaches the collaborators through the fields ----

    /** Takes a request of {@link LoopHooks#giveUpBlockedStep()}: true once per request. Loop side. */
    boolean takeStepGiveUp() {
        return handOff.takeGiveUp();
    }

    /** Closes the loop on behalf of its owner, lifting its guard; the record of who closed it names the owner. */
    void closeAsOwner(String ownerDescription) {
        ownerGuard.guard(null);
        closeRecorded(ownerDescription);
    }

    /** The hint of a loop for a refused nested run, on a line of its own; empty if it has none. */
    static String hintOf(DefaultEventLoop loop) {
        return loop.ownerGuard.hintLine();
    }

    /** What runs here: this loop's activity, or that of the loop whose coroutine or callback closes this one. */
    private String activityHere() {
        String activity = ownerGuard.activity();
        if (activity != null) {
            return activity;
        }
        DefaultEventLoop running = CurrentLoop.running();
        return running != null ? running.ownerGuard.activity() : null;
    }

    /**
     * The record of who closed the loop and where; null while open.
     *
     * @return the record
     */
    public CloseRecord closeRecord() {
        return closeRecord;
    }
}
