package dev.loopharness.internal;

import dev.loopharness.Task;
import java.util.List;

/** What a loop has pending, written for people: tasks with where they were created and where they wait. */
public final class LoopDiagnostics {

    private LoopDiagnostics() {}

    static String deadlockMessage(DefaultEventLoop loop, List<TaskImpl<?>> tasks) {
        StringBuilder text = new StringBuilder("Deadlock in virtual time on ")
                .append(loop)
                .append(": nothing is ready, no timer is set and no work is in flight on other threads, but ")
                .append(tasks.size())
                .append(tasks.size() == 1 ? " task waits" : " tasks wait")
                .append(" for something that nothing will complete:");
        for (TaskImpl<?> task : tasks) {
            text.append("\n  ").append(describe(task));
        }
        return text.append("\nComplete or cancel what they wait for, or set a timer that does.")
                .append("\nThreads the loop cannot see may still be working (a socket reader, a CompletableFuture")
                .append(" awaited without wrapFuture): the loop waited ")
                .append(Durations.seconds(
                        Arguments.saturatedNanos(loop.run.virtualTime().deadlockGrace())))
                .append(" s of real time for them. Declare such work with loop.wrapFuture(...) or")
                .append(" loop.runInExecutor(...), which hold virtual time still until it settles, or give them")
                .append(" longer with VirtualClock.setDeadlockGrace(...).")
                .toString();
    }

    /**
     * One line for a task: its name, where it was created and where it waits, with what it waits on when that
     * is a queue or synchronization primitive ({@code waiting on LoopQueue 'prices' (full, 16 items) at ...}).
     *
     * @param task the task
     * @return for example {@code task 'latte' created at Cafe.order(Cafe.java:9), waiting at
     *     Cafe.steamMilk(Cafe.java:20), called from Cafe.makeLatte(Cafe.java:12) <- Cafe.order(Cafe.java:9)}
     */
    public static String describe(Task<?> task) {
        StringBuilder text = new StringBuilder("task '").append(task.getName()).append('\'');
        task.createdAt().ifPresent(site -> text.append(" created at ").append(StackFrames.format(site)));
        List<StackTraceElement> stack = task.waitingStack();
        if (stack.isEmpty()) {
            text.append(task.isDone() ? ", done" : ", not started or running");
        } else {
            String on = WaitLabels.of(task);
            text.append(on == null ? ", waiting at " : ", waiting on " + on + " at ")
                    .append(StackFrames.format(stack.get(0)));
            appendCallers(text, stack);
        }
        return text.toString();
    }

    /** How many of the user's frames below the wait a line shows: enough to place the wait in the user's code. */
    private static final int CALLERS_SHOWN = 3;

    /**
     * The user's frames that called the waiting one, innermost first, the JDK's and the library's left out, down to
     * the test engine's.
     */
    private static void appendCallers(StringBuilder text, List<StackTraceElement> stack) {
        int shown = 0;
        for (int i = 1; i < stack.size() && shown < CALLERS_SHOWN; i++) {
            String className = stack.get(i).getClassName();
            // a test method's callers are the test engine's reflection: nothing of the user's
            if (className.startsWith("org.junit.")) {
                break;
            }
            if (!StackFrames.isInfrastructure(className)) {
                text.append(shown == 0 ? ", called from " : " <- ").append(StackFrames.format(stack.get(i)));
                shown++;
            }
        }
    }
}
