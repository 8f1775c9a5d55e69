package dev.loopharness.internal;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;

/**
 * A task whose coroutine starts on the thread that runs its loop, with no hand-off between threads: the JUnit
 * extension runs a test body this way ({@code LoopHooks.createTaskOnCaller}), so that a body that never
 * suspends costs no thread at all, as kotlinx-coroutines-test's {@code runTest} runs its body on the calling
 * thread.
 *
 * <p>How control moves: the run's thread (the caller) takes the task's first step itself, at the start of the
 * run, when that step is the only work ready. If the coroutine ends without suspending, the caller goes on with
 * the run. If it suspends, the caller's stack holds the coroutine, so the caller becomes the task's thread: it
 * starts a driver (a virtual thread, or a pooled carrier on JDK 17 to 20) that goes on with the run from there,
 * and passes it the task's {@link Baton} as any task thread passes it back to its loop. From then on the
 * driver steps the task on the caller's thread as it steps any task. When the run ends, the driver makes sure
 * the task has ended (cancelling it and running the loop until it has, if the run ended before it), and only
 * then lets the caller go on: the caller never leaves a coroutine of its own pending behind it.
 *
 * <p>Exactly one thread acts on the loop at a time throughout: the caller until it suspends, then the driver
 * and the caller by turns, as the baton goes. The caller's own thread-locals (its context, its default loop)
 * are the same after the step as before.
 */
final class CallerStep {

    private final DefaultEventLoop loop;
    private final TaskImpl<?> task;
    private final Thread caller;

    /** The thread that goes on with the run once the task has suspended; {@code null} until it has. */
    private Thread driver;

    /** What the driver's run threw, for the caller to throw. Written before {@code driverDone}. */
    private Throwable driverFailure;

    private volatile boolean driverDone;

    /** When the first step started, in debug mode; else 0. Read by the owner's sampling thread ({@link #sample}). */
    private volatile long start;

    /**
     * In debug mode, a sample of the caller's stack taken while the first step ran long ({@link #sample}), with the
     * start of the stretch it was taken in: the step is timed afresh from each poll that moved virtual time, and a
     * warning about the last stretch must not show where an earlier one was.
     */
    private volatile Sample sample;

    private record Sample(long stretchStart, StackTraceElement[] frames) {}

    /** Set once the first step on the caller has ended or suspended. */
    private volatile boolean firstStepEnded;

    CallerStep(DefaultEventLoop loop, TaskImpl<?> task, Thread caller) {
        this.loop = loop;
        this.task = task;
        this.caller = caller;
    }

    /** Whether the task suspended, so that a driver took the run over. Caller side. */
    boolean movedToDriver() {
        return driver != null;
    }

    /**
     * Runs the task's first step on the calling thread, which runs the loop. Loop side.
     *
     * @return {@code true} if the task suspended: the run then went on on the driver and has ended there, so the
     *     caller must leave the loop's run state alone; {@code false} if it ended without suspending, and the
     *     caller goes on with the run
     */
    boolean run() {
        start = loop.isDebug() ? System.nanoTime() : 0;
        if (task.stepOnCaller(this)) {
            firstStepEnded();
            task.settleAfterFirstStep();
            return false;
        }
        awaitDriver();
        Throwable failure = driverFailure;
        if (failure != null) {
            throw Throwables.sneakyThrow(failure);
        }
        return true;
    }

    /**
     * The task suspends for the first time, on the caller: the first step has ended, and a driver goes on with
     * the run. Called by the task on the caller's thread, which still owns the loop, just before it passes the
     * baton.
     *
     * @param baton the task's baton, whose next holder is the driver
     */
    void suspending(Baton baton) {
        firstStepEnded();
        Thread next = loop.handOff.runner().carrier(this::drive, caller.getName() + " (loop driver)");
        driver = next;
        baton.resumeBy(next);
        if (next.getState() == Thread.State.NEW) {
            next.start();
        } else {
            LockSupport.unpark(next);
        }
    }

    private void firstStepEnded() {
        firstStepEnded = true;
        loop.handOff.stepInlineEnded();
        long startNanos = start;
        if (startNanos != 0) {
            // timed from the last poll that moved virtual time without suspending, as TaskImpl.step times a step
            long stretchStart = Math.max(startNanos, loop.run.idleAdvancedAt());
            Sample taken = sample;
            TaskWarnings.slowStep(
                    task,
                    System.nanoTime() - stretchStart,
                    taken != null && taken.stretchStart == stretchStart ? taken.frames : null);
        }
    }

    /**
     * In debug mode, samples the caller's stack if the first step has run past the slow-step threshold, for the
     * warning that the step reports when it ends: nobody else waits for this step to take its stack. A step that
     * moved virtual time without suspending ({@code LoopRun.advanceIdleTo}, the library's polls) is timed
     * from then, as {@code TaskImpl.step} times it, and each such stretch that runs long gets its own sample. Any
     * thread.
     *
     * @return how long from now to call again while the step runs: until it is due, or one threshold later once
     *     this stretch is sampled; {@code null} once the step has ended
     */
    Duration sample() {
        if (firstStepEnded) {
            return null;
        }
        long threshold = loop.slowCallbackNanos();
        long started = start;
        if (started == 0) { // the run has not reached the step yet
            return Duration.ofNanos(threshold);
        }
        long stretchStart = Math.max(started, loop.run.idleAdvancedAt());
        long dueIn = stretchStart + threshold - System.nanoTime();
        if (dueIn > 0) {
            return Duration.ofNanos(dueIn);
        }
        Sample taken = sample;
        if (taken == null || taken.stretchStart != stretchStart) {
            sample = new Sample(stretchStart, caller.getStackTrace());
        }
        return Duration.ofNanos(threshold);
    }

    /** The driver's body: waits for the baton, goes on with the run, and ends the task if the run did not. */
    private void drive() {
        try {
            task.awaitFirstPassBack();
            try {
                loop.run.goOnRunning();
            } catch (Throwable failure) {
                driverFailure = failure;
            }
            endTask();
        } finally {
            CarrierPool.release();
            driverDone = true;
            LockSupport.unpark(caller);
        }
    }

    /**
     * The run ended while the task was pending (it stopped on an outcome settled by someone else, or threw): the
     * task is cancelled and the loop runs until it has ended, so that the caller, whose stack holds the task's
     * coroutine, can go on. Driver side.
     */
    private void endTask() {
        if (task.isDone()) {
            return;
        }
        task.requestCancel("Task " + task.getName() + " was cancelled: the run of its loop ended before it did");
        try {
            loop.runUntilComplete(task);
        } catch (CancellationException expected) {
            // the outcome asked for
        } catch (Throwable failure) {
            Throwables.rethrowIfFatal(failure);
            if (!task.isDone()) {
                addFailure(failure); // the loop could not run: the caller hears of it rather than waiting for ever
            }
        }
    }

    private void addFailure(Throwable failure) {
        Throwable first = driverFailure;
        if (first == null) {
            driverFailure = failure;
        } else if (first != failure) {
            first.addSuppressed(failure);
        }
    }

    /** Waits for the driver to end the run; an interrupt meanwhile is kept for later. Caller side. */
    private void awaitDriver() {
        boolean interrupted = false;
        for (int i = 0; i < Spinning.SPINS && !driverDone; i++) {
            Thread.onSpinWait();
        }
        while (!driverDone) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            caller.interrupt();
        }
    }
}
