package dev.loopharness.junit.internal;

import dev.loopharness.Coroutine;
import dev.loopharness.junit.LoopTimeoutError;
import dev.loopharness.spi.OwnedLoop;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The thread on which the methods of one loop's scope run with {@code body = TEST_THREAD}: it stands in for
 * JUnit's test thread (one per loop, so the methods of a scope share it and its thread-locals, as they would share
 * JUnit's), so that a body blocked in a call that ignores interrupts ({@code ReentrantLock.lock()}, a socket read)
 * can be left behind past its timeout: the test fails naming the blocking frames and the run goes on. JUnit's
 * thread only waits for it.
 *
 * <p>Past the timeout the test's tasks are cancelled, the loop stopped and the thread interrupted; a body that
 * ends within the grace that follows fails the test with the timeout, its own failure attached. One still running
 * then is blocked: if a task step holds the loop the loop gives that step up, else the thread is abandoned (it
 * stays blocked until the call returns) and the next method gets a new one. Used under the loop's turn only.
 */
final class BodyThread implements AutoCloseable {

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final OwnedLoop loop;
    private final String owner;
    private final Duration grace;
    private ExecutorService executor;

    /** The thread of {@link #executor}, which {@link #close()} waits for. */
    private volatile Thread thread;

    BodyThread(OwnedLoop loop, String owner, Duration grace) {
        this.loop = loop;
        this.owner = owner;
        this.grace = grace;
    }

    /**
     * Runs a method on the thread and waits for it at most its timeout and the grace.
     *
     * @param body the method
     * @param name the test's name, for messages
     * @param timeout the real time it may take
     * @param virtual whether the loop runs in virtual time, for the advice of the message
     * @param onTimeout cancels the test's work and stops the loop; called from JUnit's thread
     * @throws Exception what the method throws, or the {@link LoopTimeoutError} past its timeout
     */
    void run(Coroutine<Object> body, String name, Duration timeout, boolean virtual, Runnable onTimeout)
            throws Exception {
        Run run = new Run();
        executor().execute(() -> run.execute(body));
        if (!run.finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            timedOut(run, name, timeout, virtual, onTimeout);
        }
        if (run.failure != null) {
            throw Throwables.sneakyThrow(run.failure);
        }
    }

    private void timedOut(Run run, String name, Duration timeout, boolean virtual, Runnable onTimeout)
            throws InterruptedException {
        Thread thread = run.thread;
        StackTraceElement[] stack = thread == null ? new StackTraceElement[0] : thread.getStackTrace();
        LoopTimeoutError timedOut = new LoopTimeoutError(Messages.timedOutOnTestThread(name, timeout, stack, virtual));
        onTimeout.run();
        if (thread != null) {
            thread.interrupt();
        }
        if (run.finished.await(grace.toNanos(), TimeUnit.NANOSECONDS)) {
            throw withCause(timedOut, run);
        }
        Thread task = loop.runningTaskThread();
        if (task != null) {
            // a task step the body waits for blocks the loop: the loop gives it up and the body goes on
            StackTraceElement[] blocking = task.getStackTrace();
            if (loop.giveUpBlockedStep() && run.finished.await(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                throw withCause(abandoned(name, timeout, task.getName(), blocking), run);
            }
        }
        executor.shutdownNow();
        executor = null;
        throw abandoned(
                name,
                timeout,
                thread == null ? "?" : thread.getName(),
                thread == null ? stack : thread.getStackTrace());
    }

    private LoopTimeoutError abandoned(String name, Duration timeout, String thread, StackTraceElement[] stack) {
        return new LoopTimeoutError(Messages.abandonedOnTestThread(name, timeout, grace, thread, stack));
    }

    private static LoopTimeoutError withCause(LoopTimeoutError timedOut, Run run) {
        if (run.failure != null) {
            timedOut.addSuppressed(run.failure);
        }
        return timedOut;
    }

    /** One method's run on the thread. */
    private static final class Run {
        final CountDownLatch finished = new CountDownLatch(1);
        volatile Thread thread;
        volatile Throwable failure;

        void execute(Coroutine<Object> body) {
            thread = Thread.currentThread();
            try {
                body.run();
            } catch (Exception | Error thrown) {
                failure = thrown;
            } finally {
                Thread.interrupted(); // a late interrupt of the timeout must not reach the next method
                finished.countDown();
            }
        }
    }

    private ExecutorService executor() {
        if (executor == null) {
            executor = Executors.newSingleThreadExecutor(task -> {
                Thread created = new Thread(task, "loopharness body thread of " + owner);
                created.setDaemon(true);
                thread = created;
                return created;
            });
        }
        return executor;
    }

    /** Ends the thread, waiting for it; an abandoned one is not waited for. */
    @Override
    public void close() {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        executor = null;
        Thread ending = thread;
        try {
            if (ending != null) {
                ending.join(CLOSE_WAIT.toMillis());
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
