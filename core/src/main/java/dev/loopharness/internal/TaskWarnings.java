package dev.loopharness.internal;

import dev.loopharness.ExceptionContext;
import java.util.List;

/**
 * What a loop tells its exception handler about one of its tasks: a step that blocked the loop past the
 * slow-callback threshold ({@link #slowStep}), and a task that did not end when its loop closed ({@link
 * #notEndedAtClose}). Each message says where the task was and what to do instead. Called on the thread that
 * owns the loop.
 */
final class TaskWarnings {

    private TaskWarnings() {}

    /**
     * Reports a step of {@code task} that ran past the loop's threshold. The step is timed by its caller from its
     * start or from the last poll that moved virtual time without suspending ({@code LoopRun.advanceIdleTo}),
     * whichever is later.
     *
     * @param task the task
     * @param took how long the step ran, in nanoseconds
     * @param sample the task's stack, sampled while the step ran long; {@code null} if it was not
     */
    static void slowStep(TaskImpl<?> task, long took, StackTraceElement[] sample) {
        DefaultEventLoop loop = task.loop;
        // no sample: the step ended between the threshold and the look at its stack, so it did not block for long,
        // and a warning that cannot say where would only be noise
        if (took < loop.slowCallbackNanos() || sample == null || sample.length == 0 || WarmUp.explains(sample)) {
            return;
        }
        String where = "; it was blocking at " + blockingFrame(sample);
        loop.callExceptionHandler(ExceptionContext.of(
                        "Executing " + task + " took " + Durations.seconds(took) + " seconds" + where
                                + ". Blocking calls stop the whole loop: use Async.sleep() instead of"
                                + " Thread.sleep(), or move blocking work to loop.runInExecutor(null, ...)",
                        null)
                .withTask(task));
    }

    private static String blockingFrame(StackTraceElement[] sample) {
        List<StackTraceElement> user = StackFrames.userFrames(sample);
        StackTraceElement top = sample.length > 0 ? sample[0] : null;
        if (user.isEmpty()) {
            return StackFrames.format(top);
        }
        return StackFrames.format(user.get(0))
                + (top != null && !top.equals(user.get(0)) ? " (in " + StackFrames.format(top) + ")" : "");
    }

    /**
     * Reports a task that its closing loop gave up on: it did not hand control back within the timeout.
     *
     * @param task the task
     * @param frames the user's frames of its thread when the loop gave up, innermost first
     * @param timeoutNanos how long the loop waited
     */
    static void notEndedAtClose(TaskImpl<?> task, List<StackTraceElement> frames, long timeoutNanos) {
        StringBuilder where = new StringBuilder();
        for (int i = 0; i < Math.min(3, frames.size()); i++) {
            where.append(i == 0 ? "" : " <- ").append(StackFrames.format(frames.get(i)));
        }
        task.loop.callExceptionHandler(ExceptionContext.of(
                        "Task " + task.getName() + " did not end within " + Durations.seconds(timeoutNanos)
                                + " seconds of its loop's close"
                                + (where.length() == 0 ? "" : "; it was running at " + where)
                                + ". A coroutine that catches the CancellationException of its unwinding and"
                                + " awaits again, or that blocks, never ends: let the cancellation propagate. The"
                                + " task is abandoned: its thread was interrupted and goes on alone, and every"
                                + " await in it throws.",
                        null)
                .withTask(task));
    }
}
