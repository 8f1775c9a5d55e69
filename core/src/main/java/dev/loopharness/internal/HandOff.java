package dev.loopharness.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * Which thread may act on a loop, and how control moves between threads: the loop's thread hands control to a
 * task's thread for one step and takes it back ({@link #handOver}), and a run that began on a platform thread
 * moves to a driver thread once a task has suspended ({@link #run}). The threads themselves come from the
 * {@link TaskRunner}, the carrier strategy; a task's side of each step is its {@link Baton}.
 *
 * <p>Exactly one thread owns a running loop at a time: the thread running it, or the task thread it handed
 * control to. While the loop is not running, nobody owns it and any thread may act on it.
 */
final class HandOff {

    /** A run of the loop's iterations on the calling thread: {@code LoopRun.runHere}. */
    @FunctionalInterface
    interface Run {
        /**
         * Runs iterations until the loop stops, or until a task has suspended if {@code handOver}.
         *
         * @return {@code false} if it returned early and the run must go on elsewhere
         */
        boolean runHere(boolean handOver);
    }

    private final String name;
    private final TaskRunner runner = TaskRunner.forThisJvm();

    /** The thread running the loop, while it runs. */
    private volatile Thread loopThread;

    /** The thread allowed to act on the loop right now: the loop thread, or the task thread it handed over to. */
    private volatile Thread owner;

    /** Set when the loop's driver thread has finished a run, for the platform thread waiting on it. */
    private volatile boolean driverDone;

    /** Set when a task step ends with the task suspended: a run on a platform thread moves to a driver then. */
    private boolean taskSuspended;

    /** Set by {@link #requestGiveUp()} until the loop's side takes it ({@link #takeGiveUp()}). */
    private volatile boolean giveUp;

    /** The loop's own thread while it runs a task's first step itself ({@link CallerStep}); else {@code null}. */
    private volatile Thread inlineStep;

    /**
     * The task thread that ended its task last: no interrupt through {@link #interruptTaskStep} reaches it until
     * it runs another step. Guarded by {@code this}, with the interrupt itself.
     */
    private Thread leftTask;

    /**
     * Creates the hand-off of one loop.
     *
     * @param name the loop's name, which its driver thread takes
     */
    HandOff(String name) {
        this.name = name;
    }

    TaskRunner runner() {
        return runner;
    }

    /**
     * Runs the loop. Where tasks run on virtual threads and the caller is a platform thread, the run stays on the
     * caller for as long as no task has suspended, then moves to a virtual driver thread while the caller waits:
     * callbacks, and tasks that end in their first step, need no other thread, and a switch between two virtual
     * threads costs a fraction of one between a platform and a virtual thread.
     */
    void run(Run run) {
        if (runner.virtual() && !TaskRunner.isVirtual(Thread.currentThread())) {
            taskSuspended = false;
            if (!run.runHere(true)) {
                runOnDriver(run);
            }
        } else {
            run.runHere(false);
        }
    }

    /** Goes on with a run on a virtual thread while the calling platform thread waits. */
    private void runOnDriver(Run run) {
        Thread caller = Thread.currentThread();
        Throwable[] failure = new Throwable[1];
        Thread driver = runner.newThread(
                () -> {
                    try {
                        run.runHere(false);
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

    /** The calling thread runs the loop now, and owns it. */
    void enter(Thread thread) {
        loopThread = thread;
        owner = thread;
    }

    /** The run is over: nobody owns the loop. */
    void exit() {
        owner = null;
        loopThread = null;
    }

    /** Whether a run that may hand over ({@link #run}) must do so now, between iterations. */
    boolean mustMoveToDriver(boolean handOver) {
        return handOver && taskSuspended;
    }

    /** A task step ended with the task waiting: it will be resumed, so task switches are to come. */
    void taskSuspended() {
        taskSuspended = true;
    }

    /** The owner: the thread running the loop or the task thread it handed over to; {@code null} if not running. */
    Thread owner() {
        return owner;
    }

    /** Whether the calling thread owns the loop (not: whether nobody does). */
    boolean isOwner() {
        return owner == Thread.currentThread();
    }

    /** The thread running the loop's iterations, while it runs. */
    Thread loopThread() {
        return loopThread;
    }

    /** The thread of the task that holds control right now, or {@code null}. Any thread. */
    Thread runningTaskThread() {
        Thread inline = inlineStep;
        if (inline != null) {
            return inline;
        }
        Thread current = owner;
        return current != null && current != loopThread ? current : null;
    }

    /**
     * Asks the loop's thread to stop waiting for the task step that holds control now (it blocks in a call that
     * ignores interrupts) and wakes it. Any thread.
     *
     * @return whether a task step held control to be given up
     */
    boolean requestGiveUp() {
        Thread waiting = loopThread;
        // nobody waits for a first step on the loop's own thread: that thread is the only one to go on with
        if (waiting == null || inlineStep != null || runningTaskThread() == null) {
            return false;
        }
        giveUp = true;
        LockSupport.unpark(waiting);
        return true;
    }

    /** Takes a request of {@link #requestGiveUp()}: true once per request. Loop side. */
    boolean takeGiveUp() {
        if (!giveUp) {
            return false;
        }
        giveUp = false;
        return true;
    }

    /**
     * Hands control to a task's thread and takes it back when the task suspends or ends; the calling thread owns
     * the loop again afterwards.
     */
    void handOver(Thread taskThread, Runnable resume) {
        Thread previous = owner;
        leftTask = null; // guarded writes are not needed here: a stale value only keeps an interrupt back
        owner = taskThread;
        try {
            resume.run();
        } finally {
            // not the calling thread: a close from another thread unwinds tasks while the loop has no owner
            owner = previous;
        }
    }

    /** The calling thread, which runs the loop, runs a task's first step itself ({@link CallerStep}). */
    synchronized void stepInline(Thread thread) {
        inlineStep = thread;
    }

    /** The first step that the loop's own thread ran itself has ended or suspended. */
    synchronized void stepInlineEnded() {
        inlineStep = null;
    }

    /**
     * The calling task thread has ended its task and goes back to a pool, or to its own work: an interrupt meant
     * for the task, delivered through {@link #interruptTaskStep} before this, is cleared, and none reaches it
     * after. Task thread.
     */
    void taskThreadLeaving() {
        Thread current = Thread.currentThread();
        synchronized (this) {
            if (inlineStep == current) {
                inlineStep = null;
            }
            leftTask = current;
        }
        Thread.interrupted();
    }

    /**
     * Interrupts the thread of the task step that holds control now, if it is still {@code expected}'s and its
     * task has not ended: an interrupt can never reach the next task on a pooled carrier, or the caller's own
     * work after a step it ran itself. Any thread.
     *
     * @param expected the thread that the caller found blocked
     * @return whether it was interrupted
     */
    synchronized boolean interruptTaskStep(Thread expected) {
        if (expected == null || runningTaskThread() != expected || leftTask == expected) {
            return false;
        }
        expected.interrupt();
        return true;
    }
}
