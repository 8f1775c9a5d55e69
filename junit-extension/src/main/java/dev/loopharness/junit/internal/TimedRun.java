package dev.loopharness.junit.internal;

import dev.loopharness.Coroutine;
import dev.loopharness.EventLoop;
import dev.loopharness.EventLoopClosedException;
import dev.loopharness.LoopFuture;
import dev.loopharness.Task;
import dev.loopharness.VirtualTimeDeadlockException;
import dev.loopharness.junit.LoopTimeoutError;
import dev.loopharness.spi.OwnedLoop;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a test or lifecycle method on a harness loop within its timeout: as a coroutine on the loop, or on the
 * test's thread that drives the loop itself. Past the timeout the test fails alone with a report of what was
 * pending; a task that blocks the loop in a call that is not an await is interrupted, then given up. Called under
 * the loop's turn ({@link HarnessLoop}).
 */
final class TimedRun {

    private static final System.Logger LOGGER = System.getLogger("dev.loopharness.junit");

    /** How long past its timeout a test may hold the loop before its thread is interrupted. */
    static final Duration BLOCKED_GRACE = Duration.ofSeconds(1);

    private final OwnedLoop owned;
    private final EventLoop loop;
    private final LeakAttribution leaks;
    private final boolean virtualTime;

    /** Set while a test method runs on the loop as a coroutine; read by other threads. */
    private volatile CurrentRun current;

    TimedRun(OwnedLoop owned, LeakAttribution leaks) {
        this.owned = owned;
        this.loop = owned.loop();
        this.leaks = leaks;
        this.virtualTime = loop.isVirtualTime();
        owned.onConfinementViolation(this::confinementViolated);
    }

    /** The test method running on the loop now, as a coroutine. */
    private record CurrentRun(
            LoopFuture<Object> outcome, Task<Object> task, AtomicReference<IllegalStateException> violation) {}

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

    /**
     * Runs the body as a coroutine until it completes or its time is up. The loop runs until an outcome is
     * settled, by the task or by the watchdog, so that a task the timeout cannot wake (one blocked in a call that
     * is not an await) still ends the wait.
     *
     * @param onCaller whether the body's first step runs on the calling thread (no hand-off for a body that never
     *     suspends, but a body blocked there cannot be abandoned), else on a thread of the loop's own
     */
    void asCoroutine(
            Coroutine<Object> body, Object tag, String name, Duration timeout, Watchdog watchdog, boolean onCaller) {
        Thread testThread = Thread.currentThread();
        Attribution attribution = Attribution.of((String) tag);
        Task<Object> task =
                onCaller ? owned.createTaskOnCaller(body, attribution) : owned.createTask(body, attribution);
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
                                    leaks.pendingTasks(null),
                                    leaks.pendingTimers(null),
                                    loop.time(),
                                    virtualTime)
                            + Messages.heldTheClock(owned.workHoldingTheClock()));
                    // a report of the watchdog's own (a blocked task given up) says more than this one
                    expired.compareAndSet(null, timedOut);
                    outcome.setException(expired.get());
                    task.cancel("timed out after " + timeout);
                }
            });
            watchdog.after(
                    BLOCKED_GRACE, () -> interruptIfBlocked(outcome, expired, name, timeout, watchdog, testThread));
        });
        // nobody waits for a first step on this thread to sample its stack for the slow-step warning
        StepSampler sample = loop.isDebug() ? new StepSampler(owned, watchdog, loop.getSlowCallbackDuration()) : null;
        CurrentRun run = new CurrentRun(outcome, task, new AtomicReference<>());
        current = run;
        try {
            loop.runUntilComplete(outcome);
        } catch (VirtualTimeDeadlockException deadlock) {
            task.cancel("deadlocked");
            leaks.settle(List.of(task));
            throw deadlock;
        } catch (IllegalStateException failure) {
            if (failure == run.violation.get()) {
                leaks.settle(List.of(task));
            }
            throw failure;
        } finally {
            current = null;
            alarm.cancel();
            if (sample != null) {
                sample.stop();
            }
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
            Watchdog watchdog,
            Thread testThread) {
        Thread blocked = owned.runningTaskThread();
        if (outcome.isDone() || blocked == null) {
            return;
        }
        LoopTimeoutError timedOut = new LoopTimeoutError(Messages.blocked(name, timeout, blocked.getStackTrace()));
        if (expired.compareAndSet(null, timedOut)) {
            owned.interruptTaskStep(blocked);
        }
        watchdog.after(BLOCKED_GRACE, () -> giveUpIfStillBlocked(expired, blocked, name, timeout, testThread));
    }

    /**
     * A task that the interrupt did not free blocks in a call that ignores interrupts ({@code
     * ReentrantLock.lock()}, a socket read): the loop gives its step up, so that the test fails and the run goes
     * on; the task is abandoned, its thread left blocked until the call returns.
     */
    private void giveUpIfStillBlocked(
            AtomicReference<LoopTimeoutError> expired,
            Thread blocked,
            String name,
            Duration timeout,
            Thread testThread) {
        if (owned.runningTaskThread() != blocked) {
            return;
        }
        if (blocked == testThread) { // a body's own steps run there: nothing can give them up
            String message = Messages.blockedTestThread(
                    name, timeout, BLOCKED_GRACE, blocked.getName(), blocked.getStackTrace());
            expired.set(new LoopTimeoutError(message));
            // the failure reaches the test only when the call returns, maybe never: say now why the run stands still
            LOGGER.log(Level.WARNING, message);
            return;
        }
        expired.set(new LoopTimeoutError(
                Messages.abandoned(name, timeout, BLOCKED_GRACE, blocked.getName(), blocked.getStackTrace())));
        owned.giveUpBlockedStep();
    }

    /**
     * Samples a first step on the test's thread for the slow-step warning, when it is due: at the slow-callback
     * duration into the run, then as often as the loop asks (the step may start late, or be timed afresh after a
     * poll that moved virtual time), until the loop has its sample or the step has ended.
     */
    private static final class StepSampler implements Runnable {

        private final OwnedLoop owned;
        private final Watchdog watchdog;
        private volatile Watchdog.Alarm alarm;
        private volatile boolean stopped;

        StepSampler(OwnedLoop owned, Watchdog watchdog, Duration first) {
            this.owned = owned;
            this.watchdog = watchdog;
            alarm = watchdog.after(first, this);
        }

        @Override
        public void run() {
            if (stopped) {
                return;
            }
            Duration again = owned.sampleCallerStep();
            if (again != null && !stopped) {
                alarm = watchdog.after(again, this); // a late alarm after stop() finds it stopped and does nothing
            }
        }

        void stop() {
            stopped = true;
            alarm.cancel();
        }
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
}
