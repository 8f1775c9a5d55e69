package dev.loopharness.internal;

// Over 500 lines, knowingly for now: the state machine, the hand-off, timers, virtual-time policy and the
// extension's hooks still live here together; splitting them is the redesign step of issue #16.

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
import dev.loopharness.VirtualTimeDeadlockException;
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
import java.util.concurrent.locks.LockSupport;

/**
 * The event loop. One iteration ({@link #runOnce()}) takes in what other threads scheduled, waits if nothing
 * is ready, moves the timers that are due to the ready queue and runs the callbacks that were ready when the
 * iteration began. This class and {@link TaskImpl} are the only places where user callbacks and coroutine
 * steps run.
 *
 * <p>Invariant: everything but the incoming queue, {@code state} and {@code owner} is touched
 * only by the thread that currently owns the loop: the thread running it, the task thread it handed control
 * to, or any thread while it is not running.
 */
public final class DefaultEventLoop implements EventLoop {

    private static final AtomicInteger IDS = new AtomicInteger();
    private static final long DEFAULT_SLOW_CALLBACK_NANOS = 100_000_000L;
    private static final long DEFAULT_UNWIND_TIMEOUT_NANOS = 5_000_000_000L;

    /** The method that runs a loop's iterations: creation sites are looked for above it only ({@link CallSites}). */
    static final String RUN_FRAME = "runHere";

    /** Compact the timer queue when more than this many cancelled timers make up over half of it. */
    private static final int MIN_CANCELLED_TIMERS_TO_COMPACT = 100;

    private final String name = "EventLoop-" + IDS.incrementAndGet();
    private final LoopClock clock;
    private final VirtualClock virtualClock;
    private final ArrayDeque<ReadyHandle> ready = new ArrayDeque<>();
    private final TimerQueue timers = new TimerQueue();
    private final IncomingQueue incoming = new IncomingQueue();
    private final Set<TaskImpl<?>> tasks = new LinkedHashSet<>();
    private final Set<FutureImpl<?>> unretrieved = new LinkedHashSet<>();

    /** Told when the loop closes: the scheduled-executor views that have pending tasks. Any thread. */
    private final Set<Runnable> closeListeners = Collections.synchronizedSet(new LinkedHashSet<>());

    private final ForeignWork foreign = new ForeignWork(this);
    private final DroppedWork dropped = new DroppedWork();

    /** How many runUntilComplete calls wait on this loop: while one does, idling with nothing to do is a deadlock. */
    private int completionWaiters;

    private final long wallClockOriginMillis = System.currentTimeMillis();
    private final long clockOrigin;

    private volatile LoopState state = LoopState.NOT_RUNNING;
    private boolean stopBeforeRun;
    private long timerSequence;
    private int cancelledTimers;

    /** The thread running the loop, while it runs. */
    private volatile Thread loopThread;

    /** The thread allowed to act on the loop right now: the loop thread, or the task thread it handed over to. */
    private volatile Thread owner;

    /** Set when the loop's driver thread has finished a run, for the platform thread waiting on it. */
    private volatile boolean driverDone;

    /** Set while a finished task is settled: callbacks scheduled then have no creation site to look for. */
    private boolean settlingTask;

    /** Set when a task step ends with the task suspended: a run on a platform thread moves to a driver then. */
    private boolean taskSuspended;

    /** An interrupt that arrived while the loop waited: kept until the run ends, so waiting does not spin. */
    private boolean interruptedWhileWaiting;

    private boolean debug;
    private boolean tagging;
    private volatile Object defaultTag;
    private TagInheritance inheritance = (parentTag, parentSite) -> parentTag;

    /** The callback running on the loop's thread, whose tag work it creates inherits. */
    private ReadyHandle runningHandle;

    private volatile String guardedBy;
    private long slowCallbackNanos = DEFAULT_SLOW_CALLBACK_NANOS;
    private long unwindTimeoutNanos = DEFAULT_UNWIND_TIMEOUT_NANOS;
    private long stepNanos;
    private volatile String activity;
    private volatile String nestedRunHint;
    private volatile boolean stopAllowed;
    private volatile java.util.function.Consumer<IllegalStateException> confinementListener;
    private ExceptionHandler exceptionHandler;
    private volatile CloseRecord closeRecord;
    private final TaskRunner taskRunner = TaskRunner.forThisJvm();

    /** The explored schedule that decides timer lateness and hand-off delays; {@code null}: none (issue #19). */
    private SchedulePerturbation perturbation;

    /**
     * Creates a loop on a clock.
     *
     * @param clock the clock; must not be {@code null}
     */
    public DefaultEventLoop(LoopClock clock) {
        this.clock = Arguments.notNull(clock, "clock");
        this.virtualClock = clock instanceof VirtualClock ? (VirtualClock) clock : null;
        this.clockOrigin = clock.nanoTime();
    }

    /**
     * The clock this loop reads.
     *
     * @return the clock given at construction
     */
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
        CloseRecord record = closeRecord;
        return record == null
                ? new EventLoopClosedException("Event loop is closed", null, null, null)
                : record.exception();
    }

    private void checkRunnable() {
        checkClosed();
        DefaultEventLoop running = CurrentLoop.running();
        if (state.isRunning() || running == this) {
            throw new IllegalStateException((running == this && Thread.currentThread() != loopThread
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
            Thread current = owner;
            if (current != null && current != Thread.currentThread()) {
                IllegalStateException violation = new IllegalStateException("Non-thread-safe operation " + operation
                        + "() invoked from thread \"" + Thread.currentThread().getName() + "\" on " + this
                        + ", which runs on thread \"" + current.getName()
                        + "\"; from other threads use callSoonThreadsafe() or execute()");
                java.util.function.Consumer<IllegalStateException> listener = confinementListener;
                if (listener != null) {
                    listener.accept(violation);
                }
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
        Thread current = owner;
        return current == null || current == Thread.currentThread();
    }

    // ---- running -----------------------------------------------------------------------------------------

    @Override
    public void runForever() {
        checkRunnable();
        if (taskRunner.virtual() && !TaskRunner.isVirtual(Thread.currentThread())) {
            runFromPlatformThread();
        } else {
            runHere(false);
        }
    }

    /**
     * Runs the loop on the calling platform thread for as long as no task has suspended, then moves the rest of
     * the run to a virtual driver thread. Callbacks, and tasks that end in their first step, need no other
     * thread; a task that suspends will be resumed, and a switch between two virtual threads costs a fraction
     * of one between a platform and a virtual thread.
     */
    private void runFromPlatformThread() {
        taskSuspended = false;
        if (!runHere(true)) {
            runOnDriver();
        }
    }

    /** Goes on with a run on a virtual thread while the calling platform thread waits. */
    private void runOnDriver() {
        Thread caller = Thread.currentThread();
        Throwable[] failure = new Throwable[1];
        Thread driver = taskRunner.newThread(
                () -> {
                    try {
                        runHere(false);
                    } catch (Throwable t) {
                        failure[0] = t;
                    } finally {
                        driverDone = true;
                        LockSupport.unpark(caller);
                    }
                },
                name);
        driverDone = false;
        driver.start();
        for (int i = 0; i < Spinning.SPINS && !driverDone; i++) {
            Thread.onSpinWait();
        }
        boolean interrupted = false;
        while (!driverDone) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            caller.interrupt();
        }
        if (failure[0] != null) {
            throw Throwables.sneakyThrow(failure[0]);
        }
    }

    /**
     * Runs iterations on this thread until the loop stops. A run that is not running yet starts here; one that a
     * platform thread handed over goes on.
     *
     * @param handOver whether to return early, between iterations, once a task has suspended
     * @return {@code false} if it returned early and the run goes on elsewhere
     */
    private boolean runHere(boolean handOver) {
        Thread thread = Thread.currentThread();
        DefaultEventLoop previous = CurrentLoop.enter(this);
        loopThread = thread;
        owner = thread;
        if (state == LoopState.NOT_RUNNING) {
            state = stopBeforeRun ? LoopState.STOPPING : LoopState.RUNNING;
            stopBeforeRun = false;
        }
        boolean handingOver = false;
        try {
            do {
                if (handOver && taskSuspended) {
                    handingOver = true;
                    return false;
                }
                runOnce();
            } while (state == LoopState.RUNNING);
            return true;
        } finally {
            if (!handingOver) {
                state = LoopState.NOT_RUNNING;
                owner = null;
                loopThread = null;
            }
            // handing over, the run goes on: this thread stays the owner until the driver takes over, so that no
            // other thread passes the confinement check (checkThread) in between
            CurrentLoop.exit(previous);
            if (interruptedWhileWaiting) {
                interruptedWhileWaiting = false;
                thread.interrupt();
            }
        }
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
        checkGuard("stop");
        checkThread("stop");
        stopRunning();
    }

    private void stopRunning() {
        switch (state) {
            case RUNNING:
                state = LoopState.STOPPING;
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
        moveDueTimers();
        int count = ready.size();
        if (debug) {
            for (int i = 0; i < count; i++) {
                runTimed(ready.poll());
            }
        } else {
            for (int i = 0; i < count; i++) {
                run(ready.poll());
            }
        }
    }

    private void takeIncoming() {
        for (ReadyHandle handle = incoming.poll(); handle != null; handle = incoming.poll()) {
            if (perturbation == null || !perturbation.holdBack(handle)) {
                ready.add(handle);
            }
        }
    }

    /** Waits until a timer is due or another thread schedules something; jumps a virtual clock instead. */
    private void waitForWork() {
        TimerHandleImpl next = firstLiveTimer();
        if (virtualClock != null) {
            waitInVirtualTime(next);
            return;
        }
        if (next == null) {
            park(-1);
        } else if (next.when > clock.nanoTime()) {
            park(Math.max(1, next.when - clock.nanoTime()));
        }
    }

    /**
     * Virtual time moves only when nothing else can happen, and only after the clock's autojump threshold of
     * real time. Work in an executor holds the clock still until it arrives. A wrapped foreign stage holds it for
     * the clock's deadlock grace at most: the loop cannot tell a stage another thread completes from one its own
     * timers complete, and waiting for ever on the second kind would hang. With nothing ready, no timer and
     * nothing in flight while something awaits, nothing can ever happen: after the grace for calls from threads
     * the loop cannot see, that is a deadlock, reported with where each task waits.
     */
    private void waitInVirtualTime(TimerHandleImpl next) {
        long grace = Arguments.saturatedNanos(virtualClock.getDeadlockGrace());
        if (foreign.inExecutors()) {
            park(-1);
        } else if (next != null) {
            long threshold = Arguments.saturatedNanos(virtualClock.getAutojumpThreshold());
            long wait = foreign.inStages() ? Math.max(threshold, grace) : threshold;
            if (wait == 0 || !park(wait)) {
                virtualClock.advanceTo(next.when);
            }
        } else if (foreign.inStages() || (tasks.isEmpty() && completionWaiters == 0)) {
            park(-1);
        } else if (!park(grace)) {
            throw new VirtualTimeDeadlockException(LoopDiagnostics.deadlockMessage(this, pendingTasks()));
        }
    }

    /**
     * Parks the loop's thread until another thread schedules a callback, or until the timeout.
     *
     * @param timeoutNanos the longest wait, or -1 for none
     * @return whether callbacks arrived from other threads
     */
    private boolean park(long timeoutNanos) {
        long deadline = timeoutNanos < 0 ? 0 : System.nanoTime() + timeoutNanos;
        incoming.beginWait();
        try {
            // a wakeup left over from a task's handoff may end a park early: only arrivals or the deadline count
            while (incoming.isEmpty()) {
                if (timeoutNanos < 0) {
                    LockSupport.park(this);
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    interruptedWhileWaiting = true;
                }
            }
        } finally {
            incoming.endWait();
        }
        interruptedWhileWaiting |= Thread.interrupted();
        boolean arrived = !incoming.isEmpty();
        takeIncoming();
        return arrived;
    }

    private TimerHandleImpl firstLiveTimer() {
        while (!timers.isEmpty() && timers.peek().isCancelled()) {
            timers.poll();
            cancelledTimers--;
        }
        return timers.peek();
    }

    private void moveDueTimers() {
        if (timers.isEmpty()) {
            return;
        }
        if (cancelledTimers > MIN_CANCELLED_TIMERS_TO_COMPACT && cancelledTimers * 2 > timers.size()) {
            timers.removeCancelled();
            cancelledTimers = 0;
        }
        long now = clock.nanoTime();
        while (!timers.isEmpty() && timers.peek().when <= now) {
            TimerHandleImpl timer = timers.poll();
            if (timer.isCancelled()) {
                cancelledTimers--;
            } else {
                ready.add(timer);
                if (perturbation != null) {
                    perturbation.timerFired(timer);
                }
            }
        }
    }

    /**
     * Runs one callback unless it was cancelled; its exception goes to the exception handler and the loop goes
     * on. This is the only place where the loop runs callbacks (task steps among them).
     */
    private void run(ReadyHandle handle) {
        Runnable target = handle.take();
        if (target != null) {
            run(handle, target);
        }
    }

    private void run(ReadyHandle handle, Runnable target) {
        ReadyHandle outer = runningHandle;
        runningHandle = handle;
        try {
            if (Contexts.mustSwap(handle.context)) {
                Contexts.runIn(handle.context, target);
            } else {
                target.run();
            }
        } catch (Throwable t) {
            Throwables.rethrowIfFatal(t);
            callExceptionHandler(ExceptionContext.of("Exception in callback " + handle.describe(target), t)
                    .withHandle(handle));
        } finally {
            runningHandle = outer;
        }
    }

    private void runTimed(ReadyHandle handle) {
        Runnable target = handle.take();
        if (target == null) {
            return;
        }
        stepNanos = 0;
        long start = System.nanoTime();
        run(handle, target);
        long took = System.nanoTime() - start - stepNanos;
        if (took >= slowCallbackNanos) {
            callExceptionHandler(ExceptionContext.of(
                            "Executing " + handle.describe(target) + " took " + Durations.seconds(took) + " seconds",
                            null)
                    .withHandle(handle));
        }
    }

    // ---- scheduling ----------------------------------------------------------------------------------------

    private StackTraceElement creationSite() {
        return debug && !settlingTask ? CallSites.caller().orElse(null) : null;
    }

    /**
     * Settles a task whose coroutine has ended, on the loop's thread. The done callbacks this schedules get no
     * creation site: only the loop's own frames lie above its run frame here, so a walk would find none.
     */
    void settleTask(Runnable settle) {
        settlingTask = true;
        try {
            settle.run();
        } finally {
            settlingTask = false;
        }
    }

    @Override
    public Handle callSoon(Runnable callback) {
        Arguments.notNull(callback, "callback");
        checkClosed();
        checkThread("callSoon");
        ReadyHandle handle = new ReadyHandle(this, callback, creationSite());
        if (tagging) {
            handle.tag = currentTag();
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
        stepNanos += nanos;
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
        if (owner == Thread.currentThread()) {
            if (tagging) {
                handle.tag = currentTag();
            }
            ready.add(handle);
            return handle;
        }
        if (tagging) {
            handle.tag = defaultTag;
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
                ? new TimerHandleImpl(this, callback, creationSite(), deadlineNanos, timerSequence++)
                : perturbation.timer(this, callback, creationSite(), deadlineNanos, timerSequence++);
        if (tagging) {
            timer.tag = currentTag();
        }
        timers.add(timer);
        return timer;
    }

    void timerCancelled() {
        cancelledTimers++;
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

    private <T> TaskImpl<T> newTask(Coroutine<T> coroutine, boolean recordSite) {
        Arguments.notNull(coroutine, "coroutine");
        checkClosed();
        checkThread("createTask");
        TaskImpl<T> task = new TaskImpl<>(this, coroutine, recordSite ? creationSite() : null);
        if (tagging) {
            task.tag = currentTag();
        }
        tasks.add(task);
        task.scheduleStep();
        return task;
    }

    // ---- attribution and ownership, for the JUnit extension ------------------------------------------------

    /**
     * Makes the loop remember, for every task, timer and callback, who scheduled it: the tag of the task that
     * was running, or else the default tag. Off unless turned on: it costs a lookup per scheduling.
     *
     * @param defaultTag the tag of work scheduled outside any tagged task, may be {@code null}
     */
    public void tagWork(Object defaultTag) {
        this.tagging = true;
        this.defaultTag = defaultTag;
    }

    /**
     * Makes the loop tag its work, transitively: what a task step or a callback creates carries a tag derived
     * from the tag of the work that runs, so that a timer re-armed in its own callback, or a task started by a
     * callback, belongs to whoever created the first; what untagged work creates is untagged. Work with nothing
     * running above it, and callbacks posted from other threads, take the default tag, which may be changed at
     * any time from any thread.
     *
     * @param defaultTag the tag of work created outside any tagged work, may be {@code null}
     * @param inheritance derives a child's tag from its parent's; called on the loop's thread; must not be
     *     {@code null}
     */
    public void tagWork(Object defaultTag, TagInheritance inheritance) {
        this.inheritance = Arguments.notNull(inheritance, "inheritance");
        tagWork(defaultTag);
    }

    /**
     * Derives the tag of work from the work that creates it, for {@link #tagWork(Object, TagInheritance)}.
     *
     * @since 0.1.0
     */
    @FunctionalInterface
    public interface TagInheritance {
        /**
         * The tag of work created while tagged work runs.
         *
         * @param parentTag the tag of the running task or callback, not {@code null}
         * @param parentSite where the running task or callback was created, or {@code null} if unknown
         * @return the child's tag, may be {@code null}
         */
        Object inherit(Object parentTag, StackTraceElement parentSite);
    }

    private Object currentTag() {
        TaskImpl<?> task = TaskImpl.current();
        if (task != null && task.loop == this) {
            return inherited(task.tag, task.createdAt().orElse(null));
        }
        ReadyHandle handle = runningHandle;
        if (handle instanceof TaskStep) {
            TaskImpl<?> stepping = ((TaskStep) handle).task;
            return inherited(stepping.tag, stepping.createdAt().orElse(null));
        }
        return handle != null ? inherited(handle.tag, handle.createdAt) : defaultTag;
    }

    /** Work created by untagged work is untagged too: it belongs to nobody in particular, such as a scope. */
    private Object inherited(Object parentTag, StackTraceElement parentSite) {
        return parentTag == null ? null : inheritance.inherit(parentTag, parentSite);
    }

    /**
     * Cancels a pending handle and, for the timer of a task of a scheduled-executor view, that task, so that
     * the view does not wait for ever for a task whose timer is gone.
     *
     * @param handle a handle of this loop; must not be {@code null}
     */
    public static void cancelWork(Handle handle) {
        if (handle instanceof ReadyHandle && ((ReadyHandle) handle).callback() instanceof LoopScheduledFuture) {
            ((LoopScheduledFuture<?>) ((ReadyHandle) handle).callback()).cancel(false);
        }
        handle.cancel();
    }

    /**
     * Creates a task of the loop's owner with a tag of its own: work it schedules carries the same tag. Its
     * creation site would be the owner's own code, which tells a reader nothing, so none is recorded even in
     * debug mode.
     *
     * @param <T> the result type
     * @param coroutine the coroutine
     * @param tag the tag
     * @return the task
     */
    public <T> Task<T> createTask(Coroutine<T> coroutine, Object tag) {
        TaskImpl<T> task = newTask(coroutine, false);
        task.tag = tag;
        return task;
    }

    /**
     * The tag of a task, handle or timer of this loop.
     *
     * @param work a task or handle
     * @return its tag, or {@code null}
     */
    public static Object tagOf(Object work) {
        if (work instanceof TaskImpl) {
            return ((TaskImpl<?>) work).tag;
        }
        return work instanceof ReadyHandle ? ((ReadyHandle) work).tag : null;
    }

    /**
     * The pending timers, earliest first, cancelled ones left out.
     *
     * @return a snapshot
     */
    public List<TimerHandle> pendingTimers() {
        List<TimerHandleImpl> live = new ArrayList<>();
        timers.forEach(timer -> {
            if (!timer.isCancelled()) {
                live.add(timer);
            }
        });
        live.sort((a, b) -> a.isBefore(b) ? -1 : b.isBefore(a) ? 1 : 0);
        return List.copyOf(live);
    }

    /**
     * The failed futures and tasks whose exception nobody retrieved yet.
     *
     * @return a snapshot
     */
    public List<LoopFuture<?>> unretrievedFailures() {
        return List.copyOf(unretrieved);
    }

    /**
     * Forgets an unretrieved failure without reporting it: the extension reported it already.
     *
     * @param future the future
     */
    public void forgetFailure(LoopFuture<?> future) {
        if (future instanceof FutureImpl) {
            ((FutureImpl<?>) future).markRetrieved();
        }
    }

    /**
     * Guards the loop for an owner: {@code close()} and {@code stop()} by anyone else fail with a message that
     * names the owner, until {@link #closeAsOwner(String)}.
     *
     * @param ownerDescription who owns the loop, for the message; {@code null} lifts the guard
     */
    public void guard(String ownerDescription) {
        this.guardedBy = ownerDescription;
    }

    private void checkGuard(String operation) {
        String owner = guardedBy;
        if (owner != null && !(stopAllowed && operation.equals("stop"))) {
            throw new IllegalStateException("Cannot " + operation + " " + this + ": it is owned by " + owner
                    + ", which closes it when its scope ends. Create a loop of your own with"
                    + " EventLoops.newEventLoop() if you need to " + operation + " one.");
        }
    }

    /**
     * The thread of the task that holds control of the loop right now, for a watchdog that must interrupt a
     * task blocked in a call that is not an await. Safe from any thread.
     *
     * @return the task's thread, or {@code null} if no task runs
     */
    public Thread runningTaskThread() {
        Thread current = owner;
        return current != null && current != loopThread ? current : null;
    }

    /**
     * Closes a loop on behalf of its owner, lifting its guard. The record of who closed it names the owner,
     * whose scope ended, instead of a frame and a stack: those would show the owner's own code, and taking them
     * costs a stack walk.
     *
     * @param ownerDescription who owns the loop, for the record: as given to {@link #guard(String)}
     */
    public void closeAsOwner(String ownerDescription) {
        guardedBy = null;
        closeRecorded(Arguments.notNull(ownerDescription, "ownerDescription"));
    }

    void taskDone(TaskImpl<?> task) {
        tasks.remove(task);
    }

    /** A task step ended with the task waiting: it will be resumed, so task switches are to come. */
    void taskSuspended() {
        taskSuspended = true;
    }

    @Override
    public Set<Task<?>> allTasks() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(tasks));
    }

    TaskRunner taskRunner() {
        return taskRunner;
    }

    /**
     * Hands control to a task's thread and takes it back when the task suspends or ends; the calling thread owns
     * the loop again afterwards.
     */
    void handOver(Thread taskThread, Runnable resume) {
        Thread previous = owner;
        owner = taskThread;
        try {
            resume.run();
        } finally {
            // not the calling thread: a close from another thread unwinds tasks while the loop has no owner
            owner = previous;
        }
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
        List<FutureImpl<?>> failed = new ArrayList<>(unretrieved);
        unretrieved.clear();
        for (FutureImpl<?> future : failed) {
            ExceptionContext context = ExceptionContext.of(
                    (future instanceof TaskImpl ? "Task" : "Future") + " exception was never retrieved",
                    future.failureOrCancellation());
            callExceptionHandler(future instanceof TaskImpl ? context.withTask((TaskImpl<?>) future) : context);
        }
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
        return adopt(stage);
    }

    /**
     * Returns a future of this loop for any stage: the stage itself if it is one, else a future that settles
     * on the loop when the stage does.
     *
     * @param <T> the type of the result
     * @param stage the stage
     * @return a future of this loop
     */
    @SuppressWarnings("unchecked")
    public <T> FutureImpl<T> adopt(CompletionStage<T> stage) {
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
        return foreign.wrap(stage);
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
        if (virtualClock != null) {
            return virtualClock.instant();
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
        checkGuard("close");
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
        state = LoopState.CLOSED;
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
        cancelledTimers = 0;
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

    /**
     * Sets what to add, on a line of its own, to the refusals to run a loop from one of this loop's coroutines or
     * callbacks ("This event loop is already running", "Cannot run the event loop while another loop is running",
     * "EventLoops.run() cannot be called from a running event loop"): the JUnit extension explains there that the
     * test body already runs on the test's loop. Any thread.
     *
     * @param hint the text, or {@code null} for none
     */
    public void setNestedRunHint(String hint) {
        nestedRunHint = hint;
    }

    /** The hint of a loop for a refused nested run, on a line of its own; empty if it has none. */
    static String hintOf(DefaultEventLoop loop) {
        String hint = loop.nestedRunHint;
        return hint == null ? "" : "\n" + hint;
    }

    /**
     * Has a listener told of each refused non-thread-safe call (debug mode), on the offending thread, before the
     * refusal is thrown there: the JUnit extension fails the test that owns the loop with it, instead of leaving
     * the error to a thread nobody watches. The listener must not throw.
     *
     * @param listener the listener, or {@code null} for none
     */
    public void onConfinementViolation(java.util.function.Consumer<IllegalStateException> listener) {
        confinementListener = listener;
    }

    /**
     * Lets {@code stop()} through the guard of {@link #guard(String)}, for an owner that lets its user drive the
     * loop; {@code close()} stays refused. Any thread.
     *
     * @param allowed whether {@code stop()} is allowed
     */
    public void allowStop(boolean allowed) {
        stopAllowed = allowed;
    }

    /**
     * Names what runs on the loop now, for the record of who closed it: the JUnit extension sets the running
     * test here.
     *
     * @param description for example {@code test "FooTest.bar()"}, or {@code null} for none
     */
    public void setActivity(String description) {
        activity = description;
    }

    /** What runs here: this loop's activity, or that of the loop whose coroutine or callback closes this one. */
    private String activityHere() {
        if (activity != null) {
            return activity;
        }
        DefaultEventLoop running = CurrentLoop.running();
        return running != null ? running.activity : null;
    }

    /**
     * The record of who closed the loop and where; null while open.
     *
     * @return the record
     */
    public CloseRecord closeRecord() {
        return closeRecord;
    }

    @Override
    public String toString() {
        return "<" + name + " "
                + state.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                + (virtualClock != null ? " virtual-time" : "") + (debug ? " debug" : "") + ">";
    }

    /** Has an explored schedule decide timer lateness and hand-off delays from now on; before the loop runs. */
    void perturbWith(SchedulePerturbation schedule) {
        perturbation = schedule;
    }

    /** The loop's name, for messages: {@code EventLoop-N}. */
    String name() {
        return name;
    }
}
