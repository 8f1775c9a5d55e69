package dev.loopharness.junit.internal;

import dev.loopharness.EventLoop;
import dev.loopharness.ExceptionContext;
import dev.loopharness.Handle;
import dev.loopharness.LoopFuture;
import dev.loopharness.Task;
import dev.loopharness.TimerHandle;
import dev.loopharness.junit.LoopCallbackError;
import dev.loopharness.spi.OwnedLoop;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Whose work on a harness loop is what, and what a test left behind: pending tasks and timers by the test that
 * scheduled them ({@link Attribution}), the errors and warnings the loop reported, and the failures nobody
 * retrieved. Confined to the thread that holds the loop's turn ({@link HarnessLoop}), but for {@link
 * #pendingTasks(Object)} and {@link #pendingTimers(Object)}, which the timeout report calls on the loop.
 */
final class LeakAttribution {

    private static final System.Logger LOGGER = System.getLogger("dev.loopharness.junit");

    private final OwnedLoop owned;
    private final EventLoop loop;
    private final List<ExceptionContext> reports = new ArrayList<>();

    /** Warnings of the loop (slow callbacks and steps) not yet handed to the test they belong to. */
    private final List<ExceptionContext> warnings = new ArrayList<>();

    LeakAttribution(OwnedLoop owned) {
        this.owned = owned;
        this.loop = owned.loop();
    }

    /** The loop's exception handler: keeps each report for the test it belongs to. */
    void report(ExceptionContext context) {
        if (context.exception() == null) {
            LOGGER.log(Level.WARNING, loop + ": " + Messages.warning(context.toString()));
            warnings.add(context);
        } else {
            reports.add(context);
        }
    }

    /** The tasks not done yet that the test scheduled ({@code tag}), or all of them for {@code null}. */
    List<Task<?>> pendingTasks(Object tag) {
        return pendingTasks(tag, false);
    }

    /** The pending timers the test scheduled, or all of them for {@code null}. */
    List<TimerHandle> pendingTimers(Object tag) {
        return pendingTimers(tag, false);
    }

    private List<Task<?>> pendingTasks(Object tag, boolean withScope) {
        List<Task<?>> found = new ArrayList<>();
        for (Task<?> task : loop.allTasks()) {
            if (owned(task, tag, withScope)) {
                found.add(task);
            }
        }
        return found;
    }

    private List<TimerHandle> pendingTimers(Object tag, boolean withScope) {
        List<TimerHandle> found = new ArrayList<>();
        for (TimerHandle timer : loop.pendingTimers()) {
            if (owned(timer, tag, withScope)) {
                found.add(timer);
            }
        }
        return found;
    }

    /** The callbacks waiting to run that the test posted, or its work re-posted (a chain that re-arms itself). */
    private List<Handle> pendingCallbacks(Object tag, boolean withScope) {
        List<Handle> found = new ArrayList<>();
        for (Handle callback : owned.pendingCallbacks()) {
            if (owned(callback, tag, withScope)) {
                found.add(callback);
            }
        }
        return found;
    }

    /** Whether work belongs to {@code tag} (any owner for {@code null}), or to the scope if asked. */
    private static boolean owned(Object work, Object tag, boolean withScope) {
        String owner = Attribution.ownerOf(work);
        return tag == null || tag.equals(owner) || withScope && owner == null;
    }

    /**
     * What a test ({@code withScope = false}) or a scope as it ends ({@code true}: also the work no test owns)
     * left behind: errors from callbacks and unretrieved task exceptions, and pending work.
     */
    HarnessLoop.LeakCheck check(Object tag, String name, boolean withScope) {
        for (LoopFuture<?> failed : owned.unretrievedFailures()) {
            if (Attribution.ownerOf(failed) == null || tag.equals(Attribution.ownerOf(failed))) {
                owned.forgetFailure(failed);
                reports.add(ExceptionContext.of("Task exception was never retrieved", failed.exception()));
            }
        }
        List<ExceptionContext> errors = take(reports, tag);
        LoopCallbackError callbackError = null;
        if (!errors.isEmpty()) {
            callbackError = new LoopCallbackError(Messages.callbackErrors(name, errors));
            for (ExceptionContext error : errors) {
                callbackError.addSuppressed(error.exception());
            }
        }
        List<String> warningTexts = new ArrayList<>();
        for (ExceptionContext warning : take(warnings, tag)) {
            warningTexts.add(Messages.warning(warning.toString()));
        }
        return new HarnessLoop.LeakCheck(
                pendingTasks(tag, withScope),
                pendingTimers(tag, withScope),
                pendingCallbacks(tag, withScope),
                loop.time(),
                callbackError,
                warningTexts);
    }

    /** Takes from a list the reports that belong to the test: its own, and those of work nobody owns. */
    private static List<ExceptionContext> take(List<ExceptionContext> from, Object tag) {
        List<ExceptionContext> mine = new ArrayList<>();
        from.removeIf(report -> {
            Object owner = report.task()
                    .map(Attribution::ownerOf)
                    .orElseGet(() -> report.handle().map(Attribution::ownerOf).orElse(null));
            boolean belongs = owner == null || owner.equals(tag);
            if (belongs) {
                mine.add(report);
            }
            return belongs;
        });
        return mine;
    }

    /** Cancels leftovers, runs the loop until they have settled, and forgets what was reported meanwhile. */
    void cancel(HarnessLoop.LeakCheck leftovers) {
        leftovers.timers().forEach(OwnedLoop::cancelWork);
        leftovers.callbacks().forEach(OwnedLoop::cancelWork);
        List<Task<?>> tasks = leftovers.tasks();
        for (Task<?> task : tasks) {
            task.cancel();
        }
        settle(tasks);
        reports.clear();
        warnings.clear();
    }

    /** Runs the loop until the tasks are done; their cancellation is the outcome asked for. */
    void settle(List<Task<?>> tasks) {
        for (Task<?> task : tasks) {
            try {
                loop.runUntilComplete(task);
            } catch (CancellationException cancelled) {
                // the outcome asked for; any other failure of the task goes on to the test
            }
        }
    }
}
