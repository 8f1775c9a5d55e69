package dev.loopharness.samples.reproductions;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.EventLoops;
import dev.loopharness.ExceptionContext;
import dev.loopharness.Task;
import dev.loopharness.VirtualClock;
import dev.loopharness.samples.report.Failure;
import dev.loopharness.samples.report.Outcome;
import dev.loopharness.samples.report.Reproduction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reproduction 3: calling async code without running it. {@code Async.sleep} and {@code Async.await} called on a
 * plain thread, outside any coroutine, are refused; a task started and never awaited fails unseen, and its
 * failure only reaches the loop's exception handler as "Task exception was never retrieved".
 */
public final class NeverAwaited implements Reproduction {

    // ---- the failures ----------------------------------------------------------------------------------------

    /** Waits a second "asynchronously" from plain code: there is no coroutine to suspend. */
    static void pauseOutsideACoroutine() {
        Async.sleep(Duration.ofSeconds(1)); // plain code, no loop: refused
    }

    /**
     * Places an order and sends the confirmation e-mail as a task that nobody awaits; the e-mail fails unseen.
     *
     * @param loop the loop to run on
     * @return what the caller is told
     */
    static String placeOrder(EventLoop loop) {
        return loop.runUntilComplete(() -> {
            Task<Void> email = Async.createTask(NeverAwaited::sendConfirmation); // started, never awaited
            email.setName("confirmation-email");
            Async.sleep(Duration.ofSeconds(2)); // other work; meanwhile the e-mail fails and nobody looks
            return "order placed";
        });
    }

    // ---- the fix ---------------------------------------------------------------------------------------------

    /**
     * Runs the coroutine with {@code EventLoops.run} and awaits the task it starts: its failure reaches the caller.
     *
     * @return what the caller is told
     */
    static String placeOrderFixed() {
        return EventLoops.run(new VirtualClock(), () -> {
            Task<Void> email = Async.createTask(NeverAwaited::sendConfirmation);
            Async.sleep(Duration.ofSeconds(2));
            try {
                Async.await(email); // await what you start
                return "order placed, confirmation sent";
            } catch (IllegalStateException failed) {
                return "order placed, but the confirmation failed: " + failed.getMessage();
            }
        });
    }

    private static Void sendConfirmation() {
        Async.sleep(Duration.ofSeconds(1));
        throw new IllegalStateException("mail server refused the message");
    }

    // ---- the run ---------------------------------------------------------------------------------------------

    @Override
    public Outcome run() {
        boolean ok = true;
        List<Failure> failures = new ArrayList<>();
        try {
            pauseOutsideACoroutine();
            ok = false;
        } catch (IllegalStateException refused) {
            failures.add(Failure.thrown("Async.sleep() called from plain code", refused));
            ok &= refused.getMessage().contains("must be called inside a coroutine")
                    && refused.getMessage().contains("EventLoops.run(")
                    && refused.getMessage().contains("runUntilComplete(");
        }

        List<ExceptionContext> reports = new ArrayList<>();
        String told;
        try (EventLoop loop = EventLoops.newEventLoop(new VirtualClock())) {
            loop.setExceptionHandler((l, context) -> reports.add(context));
            told = placeOrder(loop);
        } // closing the loop reports the failure nobody retrieved
        reports.forEach(context -> failures.add(Failure.reported(context)));
        ok &= told.equals("order placed")
                && reports.size() == 1
                && reports.get(0).message().equals("Task exception was never retrieved")
                && reports.get(0).exception() instanceof IllegalStateException;

        List<String> fixed = new ArrayList<>();
        fixed.add("placeOrder() returned \"" + told + "\" although the e-mail failed");
        String result = placeOrderFixed();
        fixed.add("fixed: " + result);
        ok &= result.equals("order placed, but the confirmation failed: mail server refused the message");
        return new Outcome(
                "3. Calling async code without running it",
                "Async.sleep() is called from plain code, outside any coroutine; then a coroutine starts a task"
                        + " (sending a confirmation e-mail) with Async.createTask and never awaits it; the task"
                        + " fails, and only the loop's exception handler hears of it, when the loop closes.",
                failures,
                List.of(),
                "Run coroutines with EventLoops.run(main) (or loop.runUntilComplete), and await what you start:"
                        + " Async.await(task), Async.gather(...) or a TaskGroup; its failure then reaches you.",
                fixed,
                ok);
    }
}
