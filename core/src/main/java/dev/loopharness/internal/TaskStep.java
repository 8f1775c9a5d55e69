package dev.loopharness.internal;

/** The callback that runs one step of a task. One per task, scheduled at most once at a time. */
final class TaskStep extends ReadyHandle {

    TaskStep(DefaultEventLoop loop, TaskImpl<?> task) {
        super(loop, task::step, null, true);
    }
}
