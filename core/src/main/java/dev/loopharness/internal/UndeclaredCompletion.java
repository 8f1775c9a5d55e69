package dev.loopharness.internal;

import dev.loopharness.EventLoopClosedException;
import dev.loopharness.ExceptionContext;
import dev.loopharness.VirtualClock;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Watches one foreign stage awaited without being declared ({@code Async.await} of a {@code CompletableFuture},
 * say) on a virtual clock. The loop cannot see the threads that will complete such a stage, so it does not hold
 * its clock for them; if another thread completes the stage after virtual time jumped while it was pending, the
 * loop's timers ran ahead of that work, and the result the coroutine sees may be one no real run would produce.
 * That is detected here, after the fact, and reported to the loop's exception handler: as an error (which fails
 * a test under the JUnit extension) or, when the loop is told so, as a warning.
 *
 * <p>Threads: made on the thread that owns the loop; {@link #completed()} runs on whichever thread completes the
 * stage.
 */
final class UndeclaredCompletion {

    private final DefaultEventLoop loop;
    private final VirtualClock clock;
    private final long since;
    private final String stage;
    private final TaskImpl<?> task;

    private UndeclaredCompletion(DefaultEventLoop loop, VirtualClock clock, String stage, TaskImpl<?> task) {
        this.loop = loop;
        this.clock = clock;
        this.since = clock.nanoTime();
        this.stage = stage;
        this.task = task;
    }

    /**
     * Starts watching a stage the loop adopts without its being declared; {@code null} when there is nothing to
     * watch: a real clock cannot run ahead of anything, and a stage complete already needs no thread.
     */
    static UndeclaredCompletion watch(DefaultEventLoop loop, CompletionStage<?> stage) {
        if (!(loop.clock() instanceof VirtualClock)
                || stage.toCompletableFuture().isDone()) {
            return null;
        }
        TaskImpl<?> current = TaskImpl.current();
        TaskImpl<?> awaiting = current != null && current.loop == loop ? current : null;
        return new UndeclaredCompletion(
                loop, (VirtualClock) loop.clock(), stage.getClass().getSimpleName(), awaiting);
    }

    /**
     * Called as the stage completes, on the completing thread: reports the completion if a thread other than the
     * loop's completed it after virtual time moved. A loop that does not run has no owner; whatever completes the
     * stage then runs in step with it (the thread that drives it, between runs).
     */
    void completed() {
        long jumped = clock.nanoTime() - since;
        if (jumped <= 0 || loop.isOwnerThread()) {
            return;
        }
        // the awaiting task is still suspended at its await: its stack names the site, at no cost to an await
        // that nobody completes from elsewhere
        List<StackTraceElement> waiting = task != null ? task.waitingStack() : List.of();
        String message = message(Thread.currentThread().getName(), jumped, waiting.isEmpty() ? null : waiting.get(0));
        try {
            loop.callSoonThreadsafe(() -> report(message));
        } catch (EventLoopClosedException closed) {
            // the loop is gone, and with it whoever could be told
        }
    }

    private void report(String message) {
        boolean fails = loop.foreign.undeclaredCompletionFails();
        ExceptionContext context = ExceptionContext.of(
                fails ? "Undeclared work on another thread" : message,
                fails ? new IllegalStateException(message) : null);
        loop.callExceptionHandler(task != null ? context.withTask(task) : context);
    }

    private String message(String thread, long jumpedNanos, StackTraceElement site) {
        return "Virtual time jumped " + Durations.seconds(jumpedNanos) + " s while "
                + (task != null ? "task '" + task.getName() + "'" : "the loop") + " awaited a " + stage
                + (site != null ? " at " + StackFrames.format(site) : "") + ", which thread \"" + thread
                + "\" then completed: the loop cannot see work on threads it does not own, so its timers ran ahead"
                + " of that work. Declare the work so that virtual time holds still until it settles: await"
                + " loop.wrapFuture(stage) instead of the stage, or run it with loop.runInExecutor(...).";
    }
}
