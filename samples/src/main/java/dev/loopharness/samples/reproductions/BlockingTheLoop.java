package dev.loopharness.samples.reproductions;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.EventLoops;
import dev.loopharness.ExceptionContext;
import dev.loopharness.Task;
import dev.loopharness.samples.report.Failure;
import dev.loopharness.samples.report.Outcome;
import dev.loopharness.samples.report.Reproduction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reproduction 5: blocking the loop. A coroutine calls {@code Thread.sleep}, which stops the whole loop: nothing
 * else runs meanwhile. In debug mode the loop reports the slow step to its exception handler, naming the task
 * and the frame where it was blocking.
 */
public final class BlockingTheLoop implements Reproduction {

    /** How long the coroutine blocks or sleeps. */
    static final Duration PAUSE = Duration.ofMillis(200);

    /** The slow-callback threshold. */
    static final Duration THRESHOLD = Duration.ofMillis(100);

    // ---- the failure -----------------------------------------------------------------------------------------

    /**
     * Waits for a rate limit with {@code Thread.sleep}: the loop's thread is held for the whole pause.
     *
     * @return a result
     * @throws InterruptedException if interrupted
     */
    static String renderBlocking() throws InterruptedException {
        Thread.sleep(PAUSE.toMillis()); // blocks the loop: no other task or callback runs meanwhile
        return "rendered";
    }

    // ---- the fix ---------------------------------------------------------------------------------------------

    /**
     * Waits with {@code Async.sleep}: this coroutine is suspended, and the loop runs on.
     *
     * @return a result
     */
    static String renderFixed() {
        Async.sleep(PAUSE); // suspends this coroutine only
        return "rendered";
    }

    /**
     * Runs a coroutine as a task named "render-report" on a loop in debug mode, collecting what its exception
     * handler receives.
     *
     * @param coroutine the coroutine
     * @param reports where the handler's reports go
     * @return the task's result
     */
    static String runInDebugMode(dev.loopharness.Coroutine<String> coroutine, List<ExceptionContext> reports) {
        try (EventLoop loop = EventLoops.newEventLoop()) {
            loop.setDebug(true);
            loop.setSlowCallbackDuration(THRESHOLD);
            loop.setExceptionHandler((l, context) -> reports.add(context));
            Task<String> task = loop.createTask(coroutine);
            task.setName("render-report");
            return loop.runUntilComplete(task);
        }
    }

    @Override
    public Outcome run() {
        List<ExceptionContext> blocked = new ArrayList<>();
        String first = runInDebugMode(BlockingTheLoop::renderBlocking, blocked);
        List<Failure> failures = new ArrayList<>();
        blocked.forEach(context -> failures.add(Failure.reported(context)));
        boolean ok = first.equals("rendered")
                && blocked.size() == 1
                && blocked.get(0).message().startsWith("Executing <Task 'render-report'")
                && blocked.get(0)
                        .message()
                        .contains("; it was blocking at " + BlockingTheLoop.class.getName()
                                + ".renderBlocking(BlockingTheLoop.java:")
                && blocked.get(0)
                        .task()
                        .map(t -> t.getName().equals("render-report"))
                        .orElse(false);

        List<ExceptionContext> fixedReports = new ArrayList<>();
        String fixed = runInDebugMode(BlockingTheLoop::renderFixed, fixedReports);
        ok &= fixed.equals("rendered") && fixedReports.isEmpty();
        return new Outcome(
                "6. Blocking the loop",
                "A task named render-report calls Thread.sleep(200 ms) inside its coroutine, on a loop in debug mode"
                        + " (loop.setDebug(true)) with setSlowCallbackDuration(100 ms).",
                failures,
                List.of(),
                "Async.sleep(Duration.ofMillis(200)) suspends the coroutine, not the loop; blocking work goes to"
                        + " loop.runInExecutor(null, ...).",
                List.of("the task returned \"" + fixed + "\"; the exception handler received " + fixedReports.size()
                        + " reports"),
                ok);
    }
}
