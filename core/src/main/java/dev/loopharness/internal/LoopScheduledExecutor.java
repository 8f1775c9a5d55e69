package dev.loopharness.internal;

import dev.loopharness.EventLoopClosedException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code loop.asScheduledExecutorService()}: the JDK's scheduled executor over a loop. Tasks run on the loop, as
 * callbacks, at their time in loop time; the rules are {@link java.util.concurrent.ScheduledThreadPoolExecutor}'s
 * with its default policies. Safe from any thread: on the loop's own thread (or one of its coroutines) a task's
 * timer is set directly, from anywhere else through {@code callSoonThreadsafe}.
 *
 * <p>Invariant: {@code pending} holds exactly the tasks accepted and not yet done, and while it is not empty the
 * view is among the loop's close listeners, so that closing the loop cancels them. The view is terminated when
 * it is shut down (or its loop closed) and {@code pending} is empty.
 */
final class LoopScheduledExecutor implements ScheduledExecutorService {

    private final DefaultEventLoop loop;
    private final Runnable onLoopClose = this::loopClosed;
    private final AtomicLong sequence = new AtomicLong();
    private final CountDownLatch termination = new CountDownLatch(1);
    private final Object lock = new Object();

    /** Tasks accepted and not done, in the order they were accepted; guarded by {@code lock}. */
    private final Set<LoopScheduledFuture<?>> pending = new LinkedHashSet<>();

    /** Set by {@code shutdown()} or {@code shutdownNow()}; guarded by {@code lock}. */
    private boolean shutdown;

    LoopScheduledExecutor(DefaultEventLoop loop) {
        this.loop = loop;
    }

    DefaultEventLoop loop() {
        return loop;
    }

    // ---- scheduling ------------------------------------------------------------------------------------------

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Arguments.notNull(command, "command");
        Arguments.notNull(unit, "unit");
        return accept(newTask(command, Executors.callable(command), delayNanos(delay, unit), 0, false));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        Arguments.notNull(callable, "callable");
        Arguments.notNull(unit, "unit");
        return accept(newTask(callable, callable, delayNanos(delay, unit), 0, false));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        Arguments.notNull(command, "command");
        Arguments.notNull(unit, "unit");
        long periodNanos = periodNanos(period, unit, "period");
        return accept(
                newTask(command, Executors.callable(command), delayNanos(initialDelay, unit), periodNanos, false));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        Arguments.notNull(command, "command");
        Arguments.notNull(unit, "unit");
        long delayNanos = periodNanos(delay, unit, "delay");
        return accept(
                newTask(command, Executors.callable(command), delayNanos(initialDelay, unit), -delayNanos, false));
    }

    /** Runs the command on the loop as soon as it can; a failure goes to the loop's exception handler. */
    @Override
    public void execute(Runnable command) {
        Arguments.notNull(command, "command");
        accept(newTask(command, Executors.callable(command), 0, 0, true));
    }

    @Override
    public Future<?> submit(Runnable task) {
        Arguments.notNull(task, "task");
        return accept(newTask(task, Executors.callable(task), 0, 0, false));
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        Arguments.notNull(task, "task");
        return accept(newTask(task, Executors.callable(task, result), 0, 0, false));
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        Arguments.notNull(task, "task");
        return accept(newTask(task, task, 0, 0, false));
    }

    /** The JDK rule: a negative delay counts as zero. A delay too large to represent saturates. */
    private static long delayNanos(long delay, TimeUnit unit) {
        return delay <= 0 ? 0 : unit.toNanos(delay);
    }

    private static long periodNanos(long period, TimeUnit unit, String name) {
        if (period <= 0) {
            throw new IllegalArgumentException(name + " must be positive: got " + period + " " + unit);
        }
        return unit.toNanos(period);
    }

    private <V> LoopScheduledFuture<V> newTask(
            Object command, Callable<V> callable, long delayNanos, long period, boolean reportFailure) {
        long trigger = Arguments.saturatedAdd(loop.time(), delayNanos);
        return new LoopScheduledFuture<>(
                this, command, callable, trigger, period, sequence.incrementAndGet(), reportFailure);
    }

    private <V> LoopScheduledFuture<V> accept(LoopScheduledFuture<V> task) {
        acceptAll(List.of(task));
        return task;
    }

    /**
     * Takes tasks in and sets their timers, all in one step of the loop so that none runs before the last is
     * in: directly on the loop's thread, else through {@code callSoonThreadsafe}.
     */
    private void acceptAll(List<? extends LoopScheduledFuture<?>> tasks) {
        synchronized (lock) {
            if (shutdown) {
                throw new RejectedExecutionException(tasks.get(0).describeFirst() + " rejected: " + this
                        + " has been shut down. Shutting a view down stops that view only, never its loop: for"
                        + " more work take a new view with loop.asScheduledExecutorService()");
            }
            if (pending.isEmpty()) {
                loop.closing.addListener(onLoopClose);
            }
            pending.addAll(tasks);
        }
        try {
            if (LoopThreads.isLoopThread(loop)) {
                tasks.forEach(LoopScheduledFuture::arm);
            } else {
                loop.callSoonThreadsafe(() -> tasks.forEach(LoopScheduledFuture::arm));
            }
        } catch (EventLoopClosedException closed) {
            for (LoopScheduledFuture<?> task : tasks) {
                task.cancel(task.describeFirst() + " was rejected", closed);
            }
            throw new RejectedExecutionException(
                    tasks.get(0).describeFirst() + " rejected: " + this
                            + " cannot run it because its event loop is closed",
                    closed);
        }
    }

    // ---- invokeAll and invokeAny -----------------------------------------------------------------------------

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        List<LoopScheduledFuture<T>> futures = startAll(tasks, "invokeAll()");
        try {
            for (LoopScheduledFuture<T> future : futures) {
                awaitQuietly(future, -1);
            }
        } catch (InterruptedException interrupted) {
            cancelAll(futures, "invokeAll() was interrupted");
            throw interrupted;
        }
        return new ArrayList<>(futures);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        Arguments.notNull(unit, "unit");
        long deadline = Arguments.saturatedAdd(System.nanoTime(), unit.toNanos(timeout));
        List<LoopScheduledFuture<T>> futures = startAll(tasks, "invokeAll()");
        try {
            for (LoopScheduledFuture<T> future : futures) {
                long left = Arguments.saturatedAdd(deadline, -System.nanoTime());
                if (left <= 0 || !awaitQuietly(future, left)) {
                    break;
                }
            }
        } catch (InterruptedException interrupted) {
            cancelAll(futures, "invokeAll() was interrupted");
            throw interrupted;
        }
        cancelAll(futures, "invokeAll() did not see it complete within " + timeout + " " + unit + " of real time");
        return new ArrayList<>(futures);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return any(tasks, -1, "");
        } catch (TimeoutException impossible) {
            throw new AssertionError("invokeAny() without a timeout timed out", impossible);
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        Arguments.notNull(unit, "unit");
        return any(tasks, Math.max(0, unit.toNanos(timeout)), " within " + timeout + " " + unit + " of real time");
    }

    /**
     * Runs the tasks and returns the first result: they run in order on the loop, and the first that succeeds
     * cancels the others before they start.
     */
    private <T> T any(Collection<? extends Callable<T>> tasks, long timeoutNanos, String within)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<Callable<T>> callables = checked(tasks);
        if (callables.isEmpty()) {
            throw new IllegalArgumentException("tasks must not be empty: invokeAny() needs at least one task");
        }
        LoopThreads.refuseBlocking(loop, "invokeAny()", "the tasks");
        List<LoopScheduledFuture<T>> futures = newTasks(callables);
        CompletableFuture<T> first = new CompletableFuture<>();
        AtomicInteger failuresToCome = new AtomicInteger(futures.size());
        for (LoopScheduledFuture<T> future : futures) {
            future.whenComplete((value, failure) -> {
                if (failure == null) {
                    if (first.complete(value)) {
                        cancelAll(futures, "invokeAny() had a result from another task");
                    }
                } else if (failuresToCome.decrementAndGet() == 0) {
                    first.completeExceptionally(failure);
                }
            });
        }
        acceptAll(futures);
        try {
            return timeoutNanos < 0 ? first.get() : first.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (ExecutionException | CancellationException failed) {
            Throwable cause = failed instanceof ExecutionException ? failed.getCause() : failed;
            throw new ExecutionException(
                    "invokeAny(): none of the " + futures.size() + " tasks completed; the cause is the last failure",
                    cause);
        } catch (TimeoutException timedOut) {
            throw new TimeoutException("invokeAny(): none of the " + futures.size() + " tasks completed" + within
                    + "; they were cancelled");
        } finally {
            cancelAll(futures, "invokeAny() returned");
        }
    }

    private <T> List<LoopScheduledFuture<T>> startAll(Collection<? extends Callable<T>> tasks, String call) {
        List<Callable<T>> callables = checked(tasks);
        LoopThreads.refuseBlocking(loop, call, "the tasks");
        List<LoopScheduledFuture<T>> futures = newTasks(callables);
        if (!futures.isEmpty()) {
            acceptAll(futures);
        }
        return futures;
    }

    private static <T> List<Callable<T>> checked(Collection<? extends Callable<T>> tasks) {
        Arguments.notNull(tasks, "tasks");
        List<Callable<T>> callables = new ArrayList<>(tasks);
        for (int i = 0; i < callables.size(); i++) {
            Arguments.notNull(callables.get(i), "tasks[" + i + "]");
        }
        return callables;
    }

    private <T> List<LoopScheduledFuture<T>> newTasks(List<Callable<T>> callables) {
        List<LoopScheduledFuture<T>> futures = new ArrayList<>(callables.size());
        for (Callable<T> callable : callables) {
            futures.add(newTask(callable, callable, 0, 0, false));
        }
        return futures;
    }

    /** Waits for a task, whatever its outcome; false if the time ran out first. */
    private static boolean awaitQuietly(LoopScheduledFuture<?> future, long timeoutNanos) throws InterruptedException {
        try {
            if (timeoutNanos < 0) {
                future.get();
            } else {
                future.get(timeoutNanos, TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | CancellationException outcome) {
            // the future holds it for the caller
        } catch (TimeoutException timedOut) {
            return false;
        }
        return true;
    }

    private static void cancelAll(List<? extends LoopScheduledFuture<?>> futures, String reason) {
        for (LoopScheduledFuture<?> future : futures) {
            if (!future.isDone()) {
                future.cancel(future.describeFirst() + " was cancelled: " + reason, null);
            }
        }
    }

    // ---- lifecycle -------------------------------------------------------------------------------------------

    /** Called by a task once it is done, on whatever thread settled it. */
    void taskDone(LoopScheduledFuture<?> task) {
        synchronized (lock) {
            if (pending.remove(task) && pending.isEmpty()) {
                loop.closing.removeListener(onLoopClose);
                terminateIfDone();
            }
        }
    }

    private void terminateIfDone() {
        if (pending.isEmpty() && isShutdown()) {
            termination.countDown();
        }
    }

    /** Refuses new tasks and cancels the periodic ones; delayed tasks still run, as by the JDK's default. */
    @Override
    public void shutdown() {
        List<LoopScheduledFuture<?>> periodic = new ArrayList<>();
        synchronized (lock) {
            shutdown = true;
            for (LoopScheduledFuture<?> task : pending) {
                if (task.isPeriodic()) {
                    periodic.add(task);
                }
            }
            terminateIfDone();
        }
        for (LoopScheduledFuture<?> task : periodic) {
            task.cancel("Periodic " + task.describe() + " was cancelled because " + this + " was shut down", null);
        }
    }

    /** Refuses new tasks, cancels every task waiting to run and returns them, earliest first. */
    @Override
    public List<Runnable> shutdownNow() {
        List<LoopScheduledFuture<?>> waiting = new ArrayList<>();
        synchronized (lock) {
            shutdown = true;
            for (LoopScheduledFuture<?> task : pending) {
                if (!task.isRunning()) {
                    waiting.add(task);
                }
            }
            terminateIfDone();
        }
        waiting.sort(null);
        List<Runnable> cancelled = new ArrayList<>(waiting.size());
        for (LoopScheduledFuture<?> task : waiting) {
            if (task.cancel(task.describeFirst() + " was cancelled by shutdownNow() of " + this, null)) {
                cancelled.add(task);
            }
        }
        return cancelled;
    }

    /** Called by the loop as it closes, on the thread that closes it. */
    private void loopClosed() {
        List<LoopScheduledFuture<?>> tasks;
        synchronized (lock) {
            tasks = new ArrayList<>(pending);
        }
        EventLoopClosedException closed = loop.closedException();
        for (LoopScheduledFuture<?> task : tasks) {
            if (task.cancel(task.describeFirst() + " was cancelled because its event loop closed", closed)) {
                loop.closing.viewTaskDropped();
            }
        }
    }

    @Override
    public boolean isShutdown() {
        synchronized (lock) {
            return shutdown || loop.isClosed();
        }
    }

    @Override
    public boolean isTerminated() {
        synchronized (lock) {
            return pending.isEmpty() && isShutdown();
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        Arguments.notNull(unit, "unit");
        if (isTerminated()) {
            return true;
        }
        if (timeout > 0) {
            LoopThreads.refuseBlocking(loop, "awaitTermination()", "the view's remaining tasks");
            termination.await(timeout, unit);
        }
        return isTerminated();
    }

    @Override
    public String toString() {
        return "<ScheduledExecutorService view of " + loop.name() + ">";
    }
}
