package dev.loopharness.internal;

import dev.loopharness.TaskGroup;
import java.util.concurrent.CancellationException;

/**
 * The scope form of asyncio's TaskGroup, {@code Async.taskGroup(group -> ...)}: unlike the try-with-resources
 * form it sees how its body ended, so it can do what {@code async with} does. A task that fails cancels its
 * siblings and the body (at its next suspension); a body that fails cancels the tasks; the scope waits for all of
 * them and then throws every failure, the body's included, in the order they happened. The cancellation it made
 * of its owner is withdrawn ({@code uncancel()}) and not passed on; one from elsewhere is.
 */
final class TaskGroupScope extends TaskGroupImpl {

    private boolean ownerCancelRequested;
    private boolean exiting;

    private TaskGroupScope(TaskImpl<?> owner) {
        super(owner);
    }

    /**
     * Runs a body with a new group, then waits for the group's tasks.
     *
     * @param owner the current task
     * @param body the body
     * @return the body's result
     * @throws Exception a {@link dev.loopharness.TaskGroupException}, an {@link Error}, or a cancellation
     */
    static <T> T run(TaskImpl<?> owner, TaskGroup.Body<T> body) throws Exception {
        TaskGroupScope group = new TaskGroupScope(owner);
        T result = null;
        Throwable failure = null;
        try {
            result = body.run(group);
        } catch (Throwable t) {
            failure = t;
        }
        group.exit(failure);
        return result;
    }

    @Override
    String finishedMessage() {
        return "TaskGroup is finished: its body has returned and its tasks are done; create tasks inside the body"
                + " of Async.taskGroup(group -> ...)";
    }

    @Override
    void childFailed() {
        if (!aborting && !ownerCancelRequested) {
            cancelAll();
            ownerCancelRequested = true;
            owner.requestCancel(null);
        } else {
            cancelAll();
        }
    }

    @Override
    public void close() {
        throw new IllegalStateException("This TaskGroup belongs to Async.taskGroup(group -> ...) and closes when"
                + " its body returns; close() is for the try-with-resources form, Async.taskGroup()");
    }

    private void exit(Throwable bodyFailure) {
        exiting = true;
        CancellationException propagate = null;
        if (bodyFailure instanceof CancellationException) {
            propagate = (CancellationException) bodyFailure;
        } else if (bodyFailure != null) {
            recordFailure(bodyFailure, "body");
        }
        if (bodyFailure != null && !aborting) {
            cancelAll();
        }
        while (hasPendingTasks()) {
            try {
                awaitPendingTasks();
            } catch (CancellationException cancelled) {
                if (!aborting) {
                    propagate = cancelled;
                    cancelAll();
                }
            }
        }
        finished = true;
        if (ownerCancelRequested && owner.uncancel() <= ownerCancellingAtOpen) {
            propagate = null; // the cancellation was the group's own, made when a task failed
        }
        if (propagate != null && !hasFailures()) {
            throw propagate;
        }
        throwFailures(bodyFailure != null && !(bodyFailure instanceof CancellationException));
    }

    @Override
    public String toString() {
        return "<TaskGroup tasks=" + tasks().size() + (aborting ? " cancelling" : "") + (exiting ? " exiting" : "")
                + ">";
    }
}
