package dev.loopharness.internal;

import dev.loopharness.Coroutine;
import dev.loopharness.Task;
import dev.loopharness.TaskGroup;
import dev.loopharness.TaskGroupException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/** asyncio's TaskGroup, closed by try-with-resources instead of {@code async with}. */
final class TaskGroupImpl implements TaskGroup {

    private final TaskImpl<?> owner;
    private final List<TaskImpl<?>> children = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();
    private final List<String> failedNames = new ArrayList<>();
    private boolean aborting;
    private boolean finished;

    TaskGroupImpl(TaskImpl<?> owner) {
        this.owner = owner;
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
            throw new IllegalStateException("TaskGroup is finished: create tasks inside its try block");
        }
        if (aborting) {
            throw new IllegalStateException("TaskGroup is shutting down: a task failed and the others are being"
                    + " cancelled; failures: " + failedNames);
        }
        TaskImpl<T> child = owner.loop.newTask(coroutine);
        if (name != null) {
            child.setName(name);
        }
        children.add(child);
        child.whenDone(() -> childDone(child));
        return child;
    }

    private void childDone(TaskImpl<?> child) {
        if (child.isCancelled()) {
            return;
        }
        Throwable failure = child.exception();
        if (failure != null) {
            failures.add(failure);
            failedNames.add(child.getName() + ": " + failure);
            cancelAll();
        }
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
        try {
            awaitChildren();
        } catch (CancellationException cancelled) {
            cancelAll();
            awaitChildren();
            throw cancelled;
        } finally {
            finished = true;
        }
        if (!failures.isEmpty()) {
            throw new TaskGroupException(
                    failures.size() + " of " + children.size() + " tasks in the task group" + " failed: "
                            + String.join("; ", failedNames),
                    failures);
        }
    }

    private void awaitChildren() {
        int settled = 0;
        while (settled < children.size()) {
            List<TaskImpl<?>> pending = new ArrayList<>(children);
            owner.await(Gathering.allSettled(owner.loop, pending));
            settled = pending.size();
        }
    }
}
