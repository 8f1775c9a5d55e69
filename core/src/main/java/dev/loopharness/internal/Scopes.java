package dev.loopharness.internal;

import dev.loopharness.TaskGroup;
import dev.loopharness.Timeout;
import java.time.Duration;

/** The implementation of {@code Async}'s scopes: timeouts and task groups, each run in the current task. */
public final class Scopes {

    private Scopes() {}

    /**
     * Runs a body under a deadline some time from now.
     *
     * @param <T> the result type
     * @param delay the delay, or {@code null} for none
     * @param body the body
     * @return the body's result
     * @throws Exception the body's failure, or a timeout
     */
    public static <T> T timeout(Duration delay, Timeout.Body<T> body) throws Exception {
        Arguments.notNull(body, "body");
        TaskImpl<?> task = Coroutines.requireTask("timeout");
        long deadline = delay == null
                ? Long.MAX_VALUE
                : Arguments.saturatedAdd(task.loop.time(), Arguments.saturatedNanos(delay));
        return TimeoutScope.run(task, deadline, body);
    }

    /**
     * Runs a body under a deadline in loop time.
     *
     * @param <T> the result type
     * @param deadlineNanos the deadline, {@link Long#MAX_VALUE} for none
     * @param body the body
     * @return the body's result
     * @throws Exception the body's failure, or a timeout
     */
    public static <T> T timeoutAt(long deadlineNanos, Timeout.Body<T> body) throws Exception {
        Arguments.notNull(body, "body");
        return TimeoutScope.run(Coroutines.requireTask("timeoutAt"), deadlineNanos, body);
    }

    /**
     * Runs a body with a task group that it may fill, and waits for the group's tasks.
     *
     * @param <T> the result type
     * @param body the body
     * @return the body's result
     * @throws Exception the group's failures, or the body's cancellation
     */
    public static <T> T taskGroup(TaskGroup.Body<T> body) throws Exception {
        Arguments.notNull(body, "body");
        return TaskGroupScope.run(Coroutines.requireTask("taskGroup"), body);
    }
}
