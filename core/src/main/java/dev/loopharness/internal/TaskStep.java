package dev.loopharness.internal;

/** The callback that runs one step of a task. One per task, scheduled at most once at a time. */
final class TaskStep extends ReadyHandle {

    /** The task whose steps this runs: work created while it runs belongs to the task. */
    final TaskImpl<?> task;

    TaskStep(DefaultEventLoop loop, TaskImpl<?> task) {
        super(loop, task::step, null);
        this.task = task;
    }
}
