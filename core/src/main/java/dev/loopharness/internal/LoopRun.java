package dev.loopharness.internal;

import dev.loopharness.LoopClock;
import dev.loopharness.LoopFuture;
import dev.loopharness.VirtualClock;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The run of a loop: asyncio's {@code run_forever}, {@code run_until_complete} and {@code _run_once}. A run
 * starts on the calling thread ({@link #runHere}) and may move to a driver thread once a task has suspended
 * ({@link HandOff#run}), or once a task whose first step the run took on its own thread has suspended ({@link
 * CallerStep}, whose driver goes on with the run here: {@link #goOnRunning}). One iteration ({@link #runOnce})
 * takes in what other threads scheduled, waits if nothing is ready, moves the timers that are due to the ready
 * queue and runs the callbacks that were ready when the iteration began.
 *
 * <p>The guards come before: {@code DefaultEventLoop} checks that the loop may run before it calls here. The
 * loop's state changes through {@code DefaultEventLoop.transition} only. Confined to the thread that owns the loop
 * ({@link HandOff}), but for the first step that a harness's sampling thread reads ({@link #callerTask}, {@link
 * #callerStep}) and the time of the last poll ({@link #idleAdvancedAt}).
 */
final class LoopRun {

    /**
     * The method that runs a loop's iterations: creation sites are looked for above it only ({@link CallSites}).
     * Checked as the class loads, so that renaming the method breaks every loop at once, loudly, instead of
     * letting creation sites silently look past the loop.
     */
    static final String RUN_FRAME = declaredMethod("runHere", boolean.class);

    private final DefaultEventLoop loop;

    // the loop's collaborators, held here too so that an iteration reaches each in one step, as the loop does
    private final LoopClock clock;
    private final HandOff handOff;
    private final CallbackRunner callbacks;
    private final ArrayDeque<ReadyHandle> ready;
    private final TimerQueue timers;
    private final IncomingQueue incoming;

    /** What the loop does with nothing ready on a {@link VirtualClock}; {@code null} on any other clock. */
    private final VirtualTimePolicy virtualTime;

    /** How many runUntilComplete calls wait on this loop: while one does, idling with nothing to do is a deadlock. */
    private int completionWaiters;

    /** Set by a stop() before a run: the run then starts STOPPING, and runs one iteration. */
    private boolean stopBeforeRun;

    /** Written by the task thread that holds the loop, read by the loop's thread while it times that task's step. */
    private volatile long idleAdvancedAt = Long.MIN_VALUE;

    /**
     * A task whose first step the next run takes on its own thread ({@code LoopHooks.createTaskOnCaller}). Read
     * by the owner's sampling thread ({@code LoopHooks.sampleCallerStep}), which reads {@link #callerStep} first.
     */
    volatile TaskImpl<?> callerTask;

    /** That first step while it runs, for {@code LoopHooks.sampleCallerStep}. */
    volatile CallerStep callerStep;

    /**
     * Creates the run of one loop, over the loop's collaborators.
     *
     * @param loop the loop, whose clock and collaborators exist already
     */
    LoopRun(DefaultEventLoop loop) {
        this.loop = loop;
        this.clock = loop.clock();
        this.virtualTime = clock instanceof VirtualClock
                ? new VirtualTimePolicy(
                        (VirtualClock) clock,
                        loop.foreign,
                        () -> loop.tasks.any() || completionWaiters > 0,
                        () -> LoopDiagnostics.deadlockMessage(loop, loop.tasks.pending()))
                : null;
        this.handOff = loop.handOff;
        this.callbacks = loop.callbacks;
        this.ready = loop.ready;
        this.timers = loop.timers;
        this.incoming = loop.incoming;
    }

    /** The name of a method of this class, which must exist with these parameters. */
    static String declaredMethod(String name, Class<?>... parameterTypes) {
        try {
            return LoopRun.class.getDeclaredMethod(name, parameterTypes).getName();
        } catch (NoSuchMethodException renamed) {
            throw new IllegalStateException(
                    "Internal error: LoopRun has no method " + name + java.util.Arrays.toString(parameterTypes)
                            + "; CallSites needs it",
                    renamed);
        }
    }

    /**
     * Refuses a run while the loop runs already (from one of its own coroutines, a callback, or another thread),
     * and a run while another loop runs on this thread: asyncio's {@code _check_running}. The messages say what to
     * do instead.
     */
    void checkNotRunning() {
        DefaultEventLoop running = CurrentLoop.running();
        if (loop.state().isRunning() || running == loop) {
            TaskImpl<?> task = TaskImpl.current(); // a first step on the loop's own thread is a coroutine's too
            boolean fromCoroutine = task != null && task.loop == loop;
            throw new IllegalStateException(
                    (running == loop && (fromCoroutine || Thread.currentThread() != handOff.loopThread())
                                    ? "This event loop is already running: runUntilComplete() was called from one of"
                                            + " its own coroutines; use Async.await(...) to wait for a future or task"
                                            + " inside a coroutine"
                                    : "This event loop is already running")
                            + loop.ownerGuard.hintLine());
        }
        if (running != null) {
            throw new IllegalStateException("Cannot run the event loop while another loop is running (" + running
                    + " runs on thread \"" + Thread.currentThread().getName() + "\")"
                    + running.ownerGuard.hintLine());
        }
    }

    /** Runs the loop until it stops: asyncio's {@code run_forever}. The caller checked that it may run. */
    void runForever() {
        handOff.run(this::runHere);
    }

    /**
     * Runs the loop until the future is done: asyncio's {@code run_until_complete}. The caller checked that it may
     * run.
     */
    <T> T runUntilDone(FutureImpl<T> future) {
        Consumer<LoopFuture<T>> stopper = done -> stop();
        future.addDoneCallbackInternal(stopper);
        completionWaiters++;
        try {
            loop.runForever();
        } finally {
            completionWaiters--;
            future.removeDoneCallbackInternal(stopper);
        }
        if (!future.isDone()) {
            throw new IllegalStateException("Event loop stopped before Future completed.");
        }
        return future.result();
    }

    /** What the loop does with nothing ready on a {@link VirtualClock}; {@code null} on any other clock. */
    VirtualTimePolicy virtualTime() {
        return virtualTime;
    }

    /** Stops the run after the current iteration; before a run, the next run does one iteration. */
    void stop() {
        switch (loop.state()) {
            case RUNNING:
                loop.transition(LoopState.STOPPING);
                break;
            case NOT_RUNNING:
                stopBeforeRun = true;
                break;
            default:
                break;
        }
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
        DefaultEventLoop previous = CurrentLoop.enter(loop);
        handOff.enter(thread);
        if (loop.state() == LoopState.NOT_RUNNING) {
            loop.transition(stopBeforeRun ? LoopState.STOPPING : LoopState.RUNNING);
            stopBeforeRun = false;
        }
        boolean handingOver = false;
        CallerStep first = takeCallerStep(thread);
        try {
            if (first != null && (first.run() || loop.state() != LoopState.RUNNING)) {
                return true; // the first step was the first iteration; if it suspended, a driver ended the run
            }
            do {
                if (handOff.mustMoveToDriver(handOver)) {
                    handingOver = true;
                    return false;
                }
                runOnce();
            } while (loop.state() == LoopState.RUNNING);
            return true;
        } finally {
            if (first != null) {
                callerStep = null;
                handingOver |= first.movedToDriver(); // the driver ended the run: its state is not this thread's
            }
            if (!handingOver) {
                loop.transition(LoopState.NOT_RUNNING);
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
        if (alone && loop.perturbation() == null && loop.state() == LoopState.RUNNING && !task.isDone()) {
            if (ready.pollFirst().take() != null) {
                step = new CallerStep(loop, task, thread);
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

    /** One iteration of the loop: asyncio's {@code _run_once}. */
    private void runOnce() {
        SchedulePerturbation perturbation = loop.perturbation();
        takeIncoming(perturbation);
        if (perturbation != null) {
            perturbation.release(ready, false);
        }
        if (ready.isEmpty() && loop.state() == LoopState.RUNNING && (perturbation == null || !perturbation.holding())) {
            waitForWork();
        }
        timers.moveDue(clock.nanoTime(), ready, perturbation);
        callbacks.runBatch(loop.isDebug());
    }

    private void takeIncoming(SchedulePerturbation perturbation) {
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
        takeIncoming(loop.perturbation());
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
     * @param target the loop time to move to, in nanoseconds; later than the loop's time
     * @return whether the clock now reads {@code target}
     */
    boolean advanceIdleTo(long target) {
        TaskImpl<?> task = TaskImpl.current();
        if (virtualTime == null
                || task == null
                || task.loop != loop
                || !handOff.isOwner()
                || loop.state() != LoopState.RUNNING
                || loop.perturbation() != null
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
}
