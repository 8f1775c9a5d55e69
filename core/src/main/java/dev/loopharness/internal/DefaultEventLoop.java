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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event loop: the {@code EventLoop} API, each method a guard and a call to the class that does the work (the
 * package's {@code package-info} maps them). The run and its iterations are {@link LoopRun}'s, the close {@link
 * LoopClose}'s; callbacks and task steps run in {@link CallbackRunner} only, coroutines on their tasks' threads;
 * every state change goes through {@link #transition}.
 *
 * <p>Invariant: everything but the incoming queue, {@code state} and the owner ({@link HandOff}) is touched
 * only by the thread that currently owns the loop: the thread running it, the task thread it handed control
 * to, or any thread while it is not running.
 */
public final class DefaultEventLoop implements EventLoop {

    private static final AtomicInteger IDS = new AtomicInteger();
    private static final long DEFAULT_SLOW_CALLBACK_NANOS = 100_000_000L;
    private static final long DEFAULT_UNWIND_TIMEOUT_NANOS = 5_000_000_000L;

    private final String name = "EventLoop-" + IDS.incrementAndGet();
    private final LoopClock clock;
    final HandOff handOff = new HandOff(name);
    final CallbackRunner callbacks = new CallbackRunner(this);
    final ArrayDeque<ReadyHandle> ready = callbacks.ready();
    final TimerQueue timers = new TimerQueue();
    final IncomingQueue incoming = new IncomingQueue();
    final LoopTasks tasks = new LoopTasks(this);
    final UnretrievedFailures unretrieved = new UnretrievedFailures();
    final WorkTags tags = new WorkTags();
    final OwnerGuard ownerGuard = new OwnerGuard();
    final ForeignWork foreign = new ForeignWork(this);
    final LoopRun run;
    final LoopClose closing = new LoopClose(this);

    /** The wall-clock time when the loop was made, and its clock's reading then: {@link LoopTimeClock}'s origin. */
    final long wallClockOriginMillis = System.currentTimeMillis();

    final long clockOrigin;

    private volatile LoopState state = LoopState.NOT_RUNNING;

    /** Set while the loop schedules its own bookkeeping callbacks: they have no creation site to look for. */
    private boolean bookkeeping;

    private boolean debug;
    private long slowCallbackNanos = DEFAULT_SLOW_CALLBACK_NANOS;
    private long unwindTimeoutNanos = DEFAULT_UNWIND_TIMEOUT_NANOS;
    private ExceptionHandler exceptionHandler;

    /** The explored schedule that decides timer lateness and hand-off delays; {@code null}: none (issue #19). */
    private SchedulePerturbation perturbation;

    /**
     * Creates a loop on a clock.
     *
     * @param clock the clock; must not be {@code null}
     */
    public DefaultEventLoop(LoopClock clock) {
        this.clock = Arguments.notNull(clock, "clock");
        this.run = new LoopRun(this);
        this.clockOrigin = clock.nanoTime();
    }

    @Override
    public LoopClock clock() {
        return clock;
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
        return closing.exception();
    }

    /** Refuses a run of a closed loop, a nested run, and a run while another loop runs on this thread. */
    private void checkRunnable() {
        checkClosed();
        run.checkNotRunning();
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
                throw ownerGuard.confinementViolation(operation, this, current);
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
        run.runForever();
    }

    /**
     * Moves the loop to another state: the one place where its state changes, refusing a change that {@link
     * LoopState}'s diagram does not have (which would be a defect of the loop, not of its caller).
     */
    void transition(LoopState next) {
        LoopState current = state;
        if (!current.canBecome(next)) {
            throw new IllegalStateException("Internal error: " + this + " cannot go from " + current + " to " + next);
        }
        state = next;
    }

    /** The loop's state, for the run and the close, which change it through {@link #transition} only. */
    LoopState state() {
        return state;
    }

    @Override
    public <T> T runUntilComplete(Coroutine<T> coroutine) {
        Arguments.notNull(coroutine, "coroutine");
        checkRunnable();
        return run.runUntilDone(newTask(coroutine));
    }

    @Override
    public <T> T runUntilComplete(CompletionStage<T> future) {
        Arguments.notNull(future, "future");
        checkRunnable();
        return run.runUntilDone(adopt(future));
    }

    @Override
    public void stop() {
        ownerGuard.check("stop", this);
        checkThread("stop");
        run.stop();
    }

    /**
     * Moves virtual time to {@code target} at once when the loop has nothing to do before then, for the coroutine
     * that holds the loop and would otherwise sleep until then: a poll in loop time ({@link LoopRun#advanceIdleTo}
     * says when it may).
     *
     * @param target the loop time to move to, in nanoseconds; later than {@link #time()}
     * @return whether the clock now reads {@code target}
     */
    public boolean advanceIdleTo(long target) {
        return run.advanceIdleTo(target);
    }

    // ---- scheduling ----------------------------------------------------------------------------------------

    private StackTraceElement creationSite() {
        return debug && !bookkeeping ? CallSites.caller().orElse(null) : null;
    }

    /**
     * Runs {@code schedule}, on the loop's thread, so that the callbacks it schedules get no creation site: the
     * settling of a task whose coroutine has ended (only the loop's own frames lie above its run frame then, so a
     * walk would find none) and {@code FutureImpl}'s bookkeeping callbacks (ending a run, waking a wait), whose
     * site would name the loop, not the user. Nests.
     */
    void withoutCreationSite(Runnable schedule) {
        boolean outer = bookkeeping;
        bookkeeping = true;
        try {
            schedule.run();
        } finally {
            bookkeeping = outer;
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

    @Override
    public List<TimerHandle> pendingTimers() {
        return timers.pending();
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
        return tasks.create(coroutine, recordSite ? creationSite() : null);
    }

    @Override
    public Set<Task<?>> allTasks() {
        return tasks.all();
    }

    @Override
    public <T> LoopFuture<T> runInExecutor(Executor executor, Callable<T> function) {
        Arguments.notNull(function, "function");
        checkClosed();
        checkThread("runInExecutor");
        return foreign.runInExecutor(executor, function);
    }

    @Override
    public <T> LoopFuture<T> wrapFuture(CompletionStage<T> stage) {
        Arguments.notNull(stage, "stage");
        return foreign.adopt(stage, true);
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
        return foreign.adopt(stage, false);
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
        DefaultExceptionHandler.call(this, exceptionHandler, context);
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

    long unwindTimeoutNanos() {
        return unwindTimeoutNanos;
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
        closing.close(null);
    }

    /** Closes the loop on behalf of its owner, lifting its guard; the record of who closed it names the owner. */
    void closeAsOwner(String ownerDescription) {
        ownerGuard.guard(null);
        closing.close(ownerDescription);
    }

    /**
     * What the close dropped without running: callbacks, timers, callbacks from other threads and tasks of the
     * scheduled-executor views. Read it after {@code close()} returns.
     *
     * @return the counts; all zero while the loop is open
     */
    public DroppedWork droppedAtClose() {
        return closing.dropped();
    }

    @Override
    public String toString() {
        return "<" + name + " "
                + state.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + (run.virtualTime() != null ? " virtual-time" : "") + (debug ? " debug" : "") + ">";
    }

    /** Has an explored schedule decide timer lateness and hand-off delays from now on; before the loop runs. */
    void perturbWith(SchedulePerturbation schedule) {
        perturbation = schedule;
    }

    SchedulePerturbation perturbation() {
        return perturbation;
    }

    /** The loop's name, for messages: {@code EventLoop-N}. */
    String name() {
        return name;
    }
}
