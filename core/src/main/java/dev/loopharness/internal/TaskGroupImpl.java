package dev.loopharness.internal;

import dev.loopharness.Coroutine;
import dev.loopharness.Task;
import dev.loopharness.TaskGroup;
import dev.loopharness.TaskGroupException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * asyncio's TaskGroup, closed by try-with-resources instead of {@code async with}; also the part that the scope
 * form ({@link TaskGroupScope}) shares: the tasks, their failures in the order they happened, the cancelling.
 */
class TaskGroupImpl implements TaskGroup {

    final TaskImpl<?> owner;

    /** The owner's cancellation requests when the group opened: more at close mean the block was cancelled. */
    final int ownerCancellingAtOpen;

    private final List<TaskImpl<?>> children = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();
    private final List<String> failedNames = new ArrayList<>();
    private int taskFailures;
    private Error error;
    boolean aborting;
    boolean finished;

    TaskGroupImpl(TaskImpl<?> owner) {
        this.owner = owner;
        this.ownerCancellingAtOpen = owner.cancelling();
    }

    @Override
    public <T> Task<T> createTask(Coroutine<T> coroutine) {
        Arguments.notNull(coroutine, "coroutine");
        return add(coroutine, null);
    }

    @Override
    public <T> Task<T> createTask(String name, Coroutine<T> coroutine) {
        Arguments.notNull(name, "name");
        Arguments.notNull(coroutine, "coroutine");
        return add(coroutine, name);
    }

    private <T> Task<T> add(Coroutine<T> coroutine, String name) {
        if (finished) {
            throw new IllegalStateException(finishedMessage());
        }
        if (aborting) {
            throw new IllegalStateException("TaskGroup is shutting down: a task failed or the group was cancelled,"
                    + " and its tasks are being cancelled; failures: " + failedNames);
        }
        TaskImpl<T> child = owner.loop.newTask(coroutine);
        if (name != null) {
            child.setName(name);
        }
        children.add(child);
        child.whenDone(() -> childDone(child));
        return child;
    }

    /** What {@link #createTask} says once the group has closed. */
    String finishedMessage() {
        return "TaskGroup is finished: create tasks inside its try block";
    }

    private void childDone(TaskImpl<?> child) {
        if (child.isCancelled()) {
            return;
        }
        Throwable failure = child.exception();
        if (failure != null) {
            taskFailures++;
            recordFailure(failure, child.getName());
            childFailed();
        }
    }

    /** Keeps a failure, in the order it happened; the first {@link Error} is what the group will throw. */
    final void recordFailure(Throwable failure, String who) {
        failures.add(failure);
        failedNames.add(who + ": " + failure);
        if (failure instanceof Error && error == null) {
            error = (Error) failure;
        }
    }

    /** A task of the group failed: the others are cancelled. */
    void childFailed() {
        cancelAll();
    }

    @Override
    public List<Task<?>> tasks() {
        return List.copyOf(children);
    }

    @Override
    public void cancelAll() {
        aborting = true;
        for (TaskImpl<?> child : children) {
            child.requestCancel(null);
        }
    }

    @Override
    public void close() {
        if (finished) {
            return;
        }
        if (owner.cancelling() > ownerCancellingAtOpen) {
            // close() cannot see the block's exception; a cancellation request of the owner since the group
            // opened is the sign that the block is being cancelled, and the group's tasks go with it
            cancelAll();
        }
        try {
            awaitChildren();
        } catch (CancellationException cancelled) {
            cancelAll();
            awaitChildren();
            throw cancelled;
        } finally {
            finished = true;
        }
        throwFailures(false);
    }

    /** Waits until every task of the group is done, tasks created meanwhile included. */
    private void awaitChildren() {
        while (hasPendingTasks()) {
            awaitPendingTasks();
        }
    }

    final boolean hasPendingTasks() {
        for (TaskImpl<?> child : children) {
            if (!child.isDone()) {
                return true;
            }
        }
        return false;
    }

    /** Waits once for the tasks that are pending now. */
    final void awaitPendingTasks() {
        owner.await(Gathering.allSettled(owner.loop, new ArrayList<>(children)));
    }

    final boolean hasFailures() {
        return !failures.isEmpty();
    }

    /**
     * Throws what the group's failures call for: the first {@link Error} as itself, else a {@link
     * TaskGroupException} with every failure; nothing if there was none.
     */
    final void throwFailures(boolean bodyFailed) {
        if (error != null) {
            throw error;
        }
        if (failures.isEmpty()) {
            return;
        }
        String tasks = taskFailures + " of " + children.size() + " tasks in the task group failed";
        String summary =
                !bodyFailed ? tasks : taskFailures == 0 ? "the task group's body failed" : tasks + ", and its body";
        throw new TaskGroupException(summary + ": " + String.join("; ", failedNames), failures);
    }
}
