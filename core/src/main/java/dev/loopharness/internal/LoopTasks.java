package dev.loopharness.internal;

import dev.loopharness.Coroutine;
import dev.loopharness.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The tasks of a loop that have not ended, in the order they were created: asyncio's set of a loop's tasks. A
 * task joins when it is made ({@link #create}, which schedules its first step) and leaves when it ends ({@link
 * #done}) or when the closing loop unwinds it ({@link #unwindAll}). Confined to the thread that owns the loop.
 */
final class LoopTasks {

    private final DefaultEventLoop loop;
    private final Set<TaskImpl<?>> pending = new LinkedHashSet<>();

    LoopTasks(DefaultEventLoop loop) {
        this.loop = loop;
    }

    /**
     * Makes a task, tags it when the loop tags its work, and schedules its first step. The loop's guards come
     * before ({@code DefaultEventLoop.newTask}).
     *
     * @param coroutine the task's coroutine
     * @param createdAt where the task was created, or {@code null}
     * @return the task
     */
    <T> TaskImpl<T> create(Coroutine<T> coroutine, StackTraceElement createdAt) {
        TaskImpl<T> task = new TaskImpl<>(loop, coroutine, createdAt);
        if (loop.tags.on()) {
            task.tag = loop.tags.current(loop, loop.callbacks.running());
        }
        pending.add(task);
        task.scheduleStep();
        return task;
    }

    /** A task has ended, or was abandoned: the loop forgets it. */
    void done(TaskImpl<?> task) {
        pending.remove(task);
    }

    /** Whether any task has not ended: one may still await something, which matters to virtual time. */
    boolean any() {
        return !pending.isEmpty();
    }

    /** The tasks that have not ended, oldest first: a snapshot. */
    List<TaskImpl<?>> pending() {
        return new ArrayList<>(pending);
    }

    /** The tasks that have not ended, as {@code EventLoop.allTasks()} returns them: an unmodifiable snapshot. */
    Set<Task<?>> all() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(pending));
    }

    /**
     * Ends every task that has not ended, for a closing loop: its awaits throw, its finally blocks run, its thread
     * ends ({@link TaskImpl#unwind}).
     */
    void unwindAll(CloseRecord record, long timeoutNanos) {
        List<TaskImpl<?>> unwound = new ArrayList<>(pending);
        pending.clear();
        for (TaskImpl<?> task : unwound) {
            task.unwind(record, timeoutNanos);
        }
    }
}
