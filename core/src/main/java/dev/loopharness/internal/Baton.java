package dev.loopharness.internal;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * A task's side of the hand-off: control passes like a baton between the thread that steps the task (the
 * loop's) and the task's own thread. {@link #pass} hands it to the task's thread and parks until the task hands
 * it back by suspending ({@link #suspend}) or by finishing ({@link #passBack}). Only the holder runs, so a task
 * never runs concurrently with its loop or with other tasks. The volatile write that passes the baton publishes
 * everything the previous holder wrote. A suspension that failed half-way is mended before the task touches the
 * loop again ({@link #regainAfterBrokenSuspension}).
 */
final class Baton {

    private static final int LOOP = 0;
    private static final int TASK = 1;

    /** Frames that must be free before a post: more than a post takes, so it cannot overflow half-way. */
    private static final int HEADROOM_FRAMES = 256;

    private volatile int holder = LOOP;

    /** The thread that passed the baton last, to be woken when it comes back. */
    private Thread resumer;

    private volatile boolean suspended;

    /**
     * Set when the loop stopped waiting for the task (a closing loop's patience ran out, or the owner gave up a
     * blocked step): its thread goes on alone, and no longer wakes the thread that waited for it.
     */
    private volatile boolean abandoned;

    /** Set while the task waits for the loop to resume it after a suspension that failed half-way. */
    private volatile boolean brokenSuspension;

    /** Whether the task waits for the loop to resume it. */
    boolean suspended() {
        return suspended;
    }

    /** Whether the loop gave up waiting for the task ({@link #passWithin}, or a given-up {@link #pass}). */
    boolean abandoned() {
        return abandoned;
    }

    // ---- the loop's side -----------------------------------------------------------------------------------

    /**
     * Passes the baton to the task's thread, starting it on its first step, and waits for it to come back.
     *
     * @param target the task's thread
     * @param slowNanos in debug mode, how long a step may take before its stack is sampled; 0 outside debug mode
     * @param giveUp whether the loop's owner asked to stop waiting for this step (it blocks in a call that ignores
     *     interrupts, see {@code LoopHooks.giveUpBlockedStep}); checked each time the loop's thread wakes.
     *     The task is then {@linkplain #abandoned() abandoned}, unless it handed the baton back meanwhile.
     * @param restartedAt when ({@link System#nanoTime()}) the step last moved virtual time without suspending
     *     ({@code DefaultEventLoop.advanceIdleTo}); the step is timed from then if that is later than its start
     * @return the stack of a step that took longer than {@code slowNanos}, or {@code null}
     */
    StackTraceElement[] pass(Thread target, long slowNanos, BooleanSupplier giveUp, LongSupplier restartedAt) {
        resumer = Thread.currentThread();
        holder = TASK;
        if (target.getState() == Thread.State.NEW) {
            target.start();
        } else {
            LockSupport.unpark(target);
        }
        if (!TaskRunner.isVirtual(resumer)) {
            spinWhile(TASK);
        }
        if (slowNanos == 0) {
            boolean interrupted = false;
            while (holder == TASK && !givenUp(giveUp)) {
                LockSupport.park(this);
                interrupted |= Thread.interrupted();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return null;
        }
        long start = System.nanoTime();
        StackTraceElement[] sample = null;
        while (holder == TASK && !givenUp(giveUp)) {
            long left = Math.max(start, restartedAt.getAsLong()) + slowNanos - System.nanoTime();
            if (left > 0) {
                LockSupport.parkNanos(this, left);
            } else if (sample == null) {
                sample = target.getStackTrace();
            } else {
                LockSupport.park(this);
            }
        }
        return sample;
    }

    /** Whether the owner gave up waiting for the step now running: then the task is abandoned. Loop side. */
    private boolean givenUp(BooleanSupplier giveUp) {
        if (!giveUp.getAsBoolean()) {
            return false;
        }
        abandoned = true;
        if (holder == LOOP) {
            abandoned = false;
            return false;
        }
        return true;
    }

    /**
     * Like {@link #pass}, for a started task that a closing loop unwinds: gives up after the timeout, and then
     * abandons the task.
     *
     * @return whether the baton came back in time
     */
    boolean passWithin(Thread target, long timeoutNanos) {
        resumer = Thread.currentThread();
        holder = TASK;
        LockSupport.unpark(target);
        long deadline = System.nanoTime() + timeoutNanos;
        boolean interrupted = false;
        try {
            while (holder == TASK) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    abandoned = true;
                    return holder == LOOP;
                }
                LockSupport.parkNanos(this, left);
                interrupted |= Thread.interrupted();
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- a first step on the loop's own thread (CallerStep) ---------------------------------------------------

    /** The task's first step runs on the loop's own thread: the task holds the baton, which nobody passed it. */
    void holdOnCaller() {
        resumer = null;
        holder = TASK;
    }

    /** Names the thread that the baton goes back to next: the driver that takes over a loop. Task thread only. */
    void resumeBy(Thread next) {
        resumer = next;
    }

    /** Waits until the task passes the baton back, for a driver that takes over a loop. */
    void awaitPassBack() {
        if (!TaskRunner.isVirtual(Thread.currentThread())) {
            spinWhile(TASK);
        }
        parkWhile(TASK);
    }

    // ---- the task's side -----------------------------------------------------------------------------------

    /** Hands the baton back to the thread that passed it: the task suspends or ends. Task thread only. */
    void passBack() {
        holder = LOOP;
        if (!abandoned) {
            LockSupport.unpark(resumer);
        }
    }

    /** Hands the baton back and parks until the loop passes it again. Task thread only. */
    void suspend(boolean virtualThreads) {
        suspended = true;
        passBack();
        if (!virtualThreads) {
            spinWhile(LOOP);
        }
        parkWhile(LOOP);
        suspended = false;
    }

    /**
     * Takes the baton back after a suspension that failed half-way. A {@link StackOverflowError} can strike inside
     * the suspension itself (on JDK 21+ parking a virtual thread takes stack), after the baton was handed to the
     * loop: the error then unwinds the coroutine while the loop believes the task waits. Before the task touches
     * the loop again it asks the loop to resume it and waits for the baton, so the task fails with the error
     * instead of running beside the loop or leaving it waiting for ever. The request is posted only with stack to
     * spare ({@link #HEADROOM_FRAMES}); without, the error goes on up to a shallower frame, where the next attempt
     * is made. Task thread only; one volatile read on the common path.
     *
     * @param loop the task's loop, asked to resume the task unless it is closed
     * @param resume the loop's side: resumes the task if {@link #brokenSuspension()} still holds
     */
    void regainAfterBrokenSuspension(DefaultEventLoop loop, Runnable resume) {
        if (!suspended || abandoned) {
            return;
        }
        headroom(HEADROOM_FRAMES);
        brokenSuspension = true;
        if (!loop.isClosed()) {
            loop.callSoonThreadsafe(resume);
        }
        regain();
        brokenSuspension = false;
    }

    /** Whether the task waits for the loop to resume it after a suspension that failed half-way. */
    boolean brokenSuspension() {
        return brokenSuspension;
    }

    /** Takes {@code frames} frames of stack and gives them back: throws StackOverflowError if they are not free. */
    private static int headroom(int frames) {
        return frames == 0 ? 0 : 1 + headroom(frames - 1);
    }

    /**
     * Wakes the thread that waits for the baton, in case it still does, and parks until the loop passes the baton
     * again or abandons the task. Task thread only.
     */
    private void regain() {
        LockSupport.unpark(resumer);
        boolean interrupted = false;
        while (holder == LOOP && !abandoned) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        suspended = false;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Spins briefly before parking, on platform threads only (see {@link Spinning}). A virtual thread must park at
     * once instead: its carrier then runs the thread it just unparked, which is the fast path.
     */
    private void spinWhile(int current) {
        for (int i = 0; i < Spinning.SPINS && holder == current; i++) {
            Thread.onSpinWait();
        }
    }

    /** Parks while {@code current} holds the baton; an interrupt is kept for later, not acted on. */
    private void parkWhile(int current) {
        boolean interrupted = false;
        while (holder == current) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
