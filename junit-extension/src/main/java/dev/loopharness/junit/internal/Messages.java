package dev.loopharness.junit.internal;

import dev.loopharness.ExceptionContext;
import dev.loopharness.Handle;
import dev.loopharness.Task;
import dev.loopharness.TimerHandle;
import dev.loopharness.spi.Diagnostics;
import java.time.Duration;
import java.util.List;

/** Every message the extension shows a user, each naming what happened and what to do. */
final class Messages {

    static final String TIMEOUT_FORMS =
            "a number with a unit (\"500ms\", \"30s\", \"2m\", \"1h\") or an ISO-8601" + " duration (\"PT30S\")";

    private Messages() {}

    static String badConfiguration(String key, String value, String allowed) {
        return key + " = '" + value + "' is not valid; allowed: " + allowed;
    }

    static String owner(String scope, String scopeOwner) {
        return "@WithEventLoop(scope = " + scope + ") for " + scopeOwner;
    }

    static String activity(String testName) {
        return "test \"" + testName + "\"";
    }

    /** Work a test left, callbacks waiting to run among it (a chain that re-posts itself for ever, say). */
    static String leaked(
            String testName, List<Task<?>> tasks, List<TimerHandle> timers, List<Handle> callbacks, long now) {
        return leakedBy("Test \"" + testName + "\"", tasks, timers, callbacks, now);
    }

    /** Work left on a CLASS loop as its class ends, owned by no test. */
    static String scopeLeaked(
            String className, List<Task<?>> tasks, List<TimerHandle> timers, List<Handle> callbacks, long now) {
        return leakedBy(
                "The scope of class \"" + className + "\" (its @BeforeAll and @AfterAll methods, and work posted"
                        + " from other threads while no test ran)",
                tasks,
                timers,
                callbacks,
                now);
    }

    /** Work left by the class-level methods of a class on the run's shared loop, as the class ends. */
    static String sharedClassLeaked(
            String className, List<Task<?>> tasks, List<TimerHandle> timers, List<Handle> callbacks, long now) {
        return leakedBy(
                "The @BeforeAll and @AfterAll methods of class \"" + className + "\" (on the test run's shared loop)",
                tasks,
                timers,
                callbacks,
                now);
    }

    /** The run's shared loop of a clock mode, as the run-end report names it. */
    static String sharedLoop(String clock) {
        return "the test run's shared loop (@WithEventLoop(scope = SHARED), clock = " + clock + ")";
    }

    /** Work left on a SHARED loop as the run ends, owned by no test. */
    static String runLeaked(
            String loopName, List<Task<?>> tasks, List<TimerHandle> timers, List<Handle> callbacks, long now) {
        return leakedBy(
                "The scope of the test run (work on " + loopName + " that no test owns: posted from other threads"
                        + " while no test ran on it, or armed by such work; reported as the run ends)",
                tasks,
                timers,
                callbacks,
                now);
    }

    private static String leakedBy(
            String who, List<Task<?>> tasks, List<TimerHandle> timers, List<Handle> callbacks, long now) {
        StringBuilder text = new StringBuilder(who)
                .append(" left work pending on its event loop: ")
                .append(count(tasks.size(), "task"))
                .append(callbacks.isEmpty() ? " and " : ", ")
                .append(count(timers.size(), "timer"));
        if (!callbacks.isEmpty()) {
            text.append(" and ").append(count(callbacks.size(), "callback")).append(" ready to run");
        }
        text.append('.');
        appendWork(text, tasks, timers, now);
        for (Handle callback : callbacks) {
            text.append("\n  callback ready to run: ").append(callback);
            appendChain(text, Attribution.chainOf(callback));
        }
        return text.append("\nAwait or cancel what a test starts before it ends (a TaskGroup does it for you),")
                .append(" or choose @WithEventLoop(leaks = CANCEL) to have the leftovers cancelled.")
                .toString();
    }

    static String callbackErrors(String testName, List<ExceptionContext> reports) {
        StringBuilder text = new StringBuilder()
                .append(count(reports.size(), "error"))
                .append(" reached the event loop's exception handler during test \"")
                .append(testName)
                .append("\":");
        int index = 1;
        for (ExceptionContext report : reports) {
            text.append("\n  ").append(index++).append(". ").append(report.message());
            text.append(": ").append(report.exception());
        }
        return text.append("\nEach is attached as suppressed. Handle failures where they happen, and await the")
                .append(" tasks you start so that their exceptions are retrieved.")
                .toString();
    }

    static String timedOut(
            String testName,
            Duration timeout,
            List<Task<?>> tasks,
            List<TimerHandle> timers,
            long now,
            boolean virtual) {
        StringBuilder text = new StringBuilder("Test \"")
                .append(testName)
                .append("\" did not complete within ")
                .append(timeout)
                .append(" of real time and was cancelled. Pending on its event loop: ")
                .append(count(tasks.size(), "task"))
                .append(" and ")
                .append(count(timers.size(), "timer"))
                .append('.');
        appendWork(text, tasks, timers, now);
        return text.append("\nLook at where each task waits: something it awaits is never completed. ")
                .append(slowTestAdvice(virtual))
                .toString();
    }

    static String blocked(String testName, Duration timeout, StackTraceElement[] stack) {
        List<StackTraceElement> frames = Diagnostics.userFrames(stack);
        String where = frames.isEmpty()
                ? (stack.length > 0 ? Diagnostics.format(stack[0]) : "an unknown frame")
                : Diagnostics.format(frames.get(0));
        return "Test \"" + testName + "\" did not complete within " + timeout + " of real time, and its coroutine"
                + " blocked the event loop at " + where + " (" + (stack.length > 0 ? Diagnostics.format(stack[0]) : "?")
                + "), so its thread was interrupted. "
                + (inAwaitility(stack)
                        ? PLAIN_AWAITILITY
                        : "A blocking call stops the whole loop: use Async.sleep() instead of Thread.sleep() and"
                                + " Async.await() instead of get() or join(), or move blocking work to"
                                + " loop.runInExecutor(null, ...).");
    }

    /**
     * How many frames of a blocked thread's stack a message shows at most, from the top down to the user's code:
     * enough to show the call that blocks.
     */
    private static final int BLOCKING_FRAMES = 10;

    static String abandoned(
            String testName, Duration timeout, Duration grace, String taskThread, StackTraceElement[] stack) {
        return blockedPastInterrupt(
                testName,
                timeout,
                grace,
                " The loop gave up its task (thread \"" + taskThread + "\"), which is abandoned: the thread stays"
                        + " blocked until the call returns, and every await in it then throws.",
                stack);
    }

    /**
     * Like {@link #abandoned}, for a body that blocks on the test's own thread (a body runs there until it first
     * suspends): nobody can take that thread back, so the test ends only when the call returns.
     */
    static String blockedTestThread(
            String testName, Duration timeout, Duration grace, String testThread, StackTraceElement[] stack) {
        return blockedPastInterrupt(
                testName,
                timeout,
                grace,
                " The body runs on the test's own thread (\"" + testThread + "\"), which nothing else can free:"
                        + " the test fails with this error once the call returns. To have such a body abandoned at"
                        + " its timeout instead, run it with @WithEventLoop(body = BodyMode.COROUTINE_SEPARATE_THREAD).",
                stack);
    }

    private static String blockedPastInterrupt(
            String testName, Duration timeout, Duration grace, String outcome, StackTraceElement[] stack) {
        StringBuilder text = new StringBuilder("Test \"")
                .append(testName)
                .append("\" did not complete within ")
                .append(timeout)
                .append(" of real time: its coroutine blocked the event loop in a call that ignores interrupts and")
                .append(" was still blocked ")
                .append(grace)
                .append(" after its thread was interrupted.")
                .append(outcome)
                .append(" Blocking frames:");
        return appendBlockingFrames(text, stack);
    }

    /** A {@code body = TEST_THREAD} method still blocked after the interrupt that followed its timeout. */
    static String abandonedOnTestThread(
            String testName, Duration timeout, Duration grace, String thread, StackTraceElement[] stack) {
        StringBuilder text = new StringBuilder("Test \"")
                .append(testName)
                .append("\" did not complete within ")
                .append(timeout)
                .append(" of real time: it ran on the test thread (body = TEST_THREAD) and blocked in a call that")
                .append(" ignores interrupts, still blocked ")
                .append(grace)
                .append(" after its tasks were cancelled and the thread was interrupted. Thread \"")
                .append(thread)
                .append("\" is abandoned: it stays blocked until the call returns; the next test runs on a new one.")
                .append(" Blocking frames:");
        return appendBlockingFrames(text, stack);
    }

    private static String appendBlockingFrames(StringBuilder text, StackTraceElement[] stack) {
        List<StackTraceElement> user = Diagnostics.userFrames(stack);
        for (int i = 0; i < Math.min(BLOCKING_FRAMES, stack.length); i++) {
            if (!user.isEmpty() && stack[i].equals(user.get(0))) {
                break;
            }
            text.append("\n  at ").append(Diagnostics.format(stack[i]));
        }
        for (int i = 0; i < Math.min(3, user.size()); i++) {
            text.append(i == 0 ? "\n  in your code at " : " <- ").append(Diagnostics.format(user.get(i)));
        }
        return text.append("\nA blocking call stops the whole loop: await a loop primitive (LoopLock, LoopQueue)")
                .append(" instead, or move the blocking work to loop.runInExecutor(null, ...).")
                .toString();
    }

    private static final String PLAIN_AWAITILITY = "Plain Awaitility blocks the loop that would make its condition"
            + " true: use LoopAwaitility.await() (dev.loopharness.awaitility), which has Awaitility's DSL, suspends"
            + " the coroutine between polls and counts loop time.";

    private static final String CORE_BLOCKING_ADVICE = ". Blocking calls stop the whole loop:";

    private static boolean inAwaitility(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().startsWith("org.awaitility.")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Work that was still waiting when the harness closed its loop at the end of its scope: accepted, never run.
     * Most often callbacks that other threads posted after the last test had ended (a late reply, a periodic
     * job of a library), which no test's leak check could see.
     */
    static String droppedAtClose(String loop, String owner, String counts) {
        return loop + " was closed by " + owner + " with work that never ran: " + counts + ". It was scheduled"
                + " after the last leak check of its scope, most often from another thread (a late reply, a"
                + " library's periodic job): stop that work before the scope ends.";
    }

    /**
     * A warning of the loop (a slow callback or task step) as the log shows it: one that caught plain Awaitility
     * blocking the loop points to {@code LoopAwaitility}, not to the loop's general advice on blocking calls.
     */
    static String warning(String text) {
        int advice = text.indexOf(CORE_BLOCKING_ADVICE);
        if (advice < 0 || !text.substring(0, advice).contains("it was blocking at org.awaitility.")) {
            return text;
        }
        int end = text.indexOf('\n', advice);
        return text.substring(0, advice) + ". " + PLAIN_AWAITILITY + (end < 0 ? "" : text.substring(end));
    }

    /** Added to the loop's refusal to run a loop inside the test body, which already runs on the test's loop. */
    static String nestedRun(String testName) {
        return "Under @WithEventLoop the body of test \"" + testName + "\" already runs as a coroutine on the test's"
                + " event loop, so it must not run a loop itself: await instead. The one-line change:"
                + " loop.runUntilComplete(future) becomes Async.await(future), and loop.runUntilComplete(() -> work())"
                + " or EventLoops.run(() -> work()) becomes a direct call, work(). To keep a body that drives the loop"
                + " itself, run it on the test thread: @WithEventLoop(body = BodyMode.TEST_THREAD).";
    }

    static String timedOutOnTestThread(String testName, Duration timeout, StackTraceElement[] stack, boolean virtual) {
        List<StackTraceElement> frames = Diagnostics.userFrames(stack);
        String where = frames.isEmpty()
                ? (stack.length > 0 ? Diagnostics.format(stack[0]) : "an unknown frame")
                : Diagnostics.format(frames.get(0));
        return "Test \"" + testName + "\" did not complete within " + timeout + " of real time; it ran on the test"
                + " thread (body = TEST_THREAD) and was at " + where + ", so its tasks were cancelled and its thread"
                + " was interrupted. " + slowTestAdvice(virtual);
    }

    /**
     * What to do about a test that is just slow. A VIRTUAL test's sleeps take no real time already, so what holds
     * it is real work: work on other threads, or a body that blocks.
     */
    private static String slowTestAdvice(boolean virtual) {
        return virtual
                ? "The loop runs in virtual time already, so its sleeps and timers take no real time: what took the"
                        + " time is real work (threads, I/O, blocking calls). Raise the limit with"
                        + " @WithEventLoop(timeout = \"...\") if that work is just slow."
                : "Raise the limit with @WithEventLoop(timeout = \"...\") if the test is just slow, or use"
                        + " clock = VIRTUAL so that sleeps take no real time.";
    }

    /**
     * The declared work that held virtual time still when a test timed out, on lines of their own after the
     * timeout's message; empty when none did.
     */
    static String heldTheClock(List<String> held) {
        if (held.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("\nVirtual time was held still by ")
                .append(count(held.size(), "piece"))
                .append(" of declared work on other threads that had not settled:");
        held.forEach(work -> text.append("\n  ").append(work));
        return text.append("\nDeclared work (wrapFuture, runInExecutor) holds the clock until it settles: complete")
                .append(" it, or cancel it, for the loop's time to move on.")
                .toString();
    }

    static String parameterNotAvailable(String type, String why) {
        return "Cannot resolve a parameter of type " + type + ": " + why + ". @WithEventLoop resolves EventLoop,"
                + " Executor, ScheduledExecutorService, java.time.Clock and, with clock = VIRTUAL, VirtualClock.";
    }

    private static void appendWork(StringBuilder text, List<Task<?>> tasks, List<TimerHandle> timers, long now) {
        for (Task<?> task : tasks) {
            text.append("\n  ").append(task.describe());
            appendChain(text, Attribution.chainOf(task));
        }
        for (TimerHandle timer : timers) {
            text.append("\n  timer due in ")
                    .append(seconds(timer.when() - now))
                    .append(" s of loop time: ")
                    .append(timer);
            appendChain(text, Attribution.chainOf(timer));
        }
    }

    /** The work that armed a piece of work, nearest first, down to the test's own code. */
    private static void appendChain(StringBuilder text, List<StackTraceElement> chain) {
        for (int i = chain.size() - 1; i >= 0; i--) {
            text.append("\n      armed while running work created at ").append(Diagnostics.format(chain.get(i)));
        }
    }

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** Nanoseconds as seconds with three decimals, as asyncio writes them: {@code 0.150}. */
    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e9);
    }
}
