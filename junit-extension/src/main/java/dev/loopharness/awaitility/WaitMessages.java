package dev.loopharness.awaitility;

import dev.loopharness.EventLoop;
import java.time.Duration;

/** Every message of the Awaitility bridge, each naming what happened and what to do. */
final class WaitMessages {

    private WaitMessages() {}

    static String timedOut(String alias, String why, Duration atMost, boolean virtualTime) {
        String within = format(atMost) + (virtualTime ? " of virtual time" : "");
        if (alias != null) {
            return "Condition with alias '" + alias + "' didn't complete within " + within + " because "
                    + decapitalize(why) + ".";
        }
        return why + " within " + within + ".";
    }

    static String tooEarly(Duration elapsed, Duration atLeast) {
        return "Condition was evaluated in " + format(elapsed) + " which is earlier than expected minimum timeout "
                + format(atLeast);
    }

    static String inCallback(EventLoop loop) {
        return "LoopAwaitility cannot wait inside a callback of " + loop + ": a callback must not block the loop"
                + " that evaluates the condition, and it cannot suspend. Wait from a coroutine (a test body under"
                + " @WithEventLoop, or a task: loop.createTask(() -> ...)) or from another thread.";
    }

    static String noLoop() {
        return "LoopAwaitility.await() was called outside a coroutine, on thread \""
                + Thread.currentThread().getName() + "\", so it has no loop to evaluate the condition on. Call it"
                + " from a coroutine (a test body under @WithEventLoop), or name the loop:"
                + " LoopAwaitility.await(loop).";
    }

    static String otherLoop(EventLoop running, EventLoop requested) {
        return "LoopAwaitility was asked to wait for a condition on " + requested + " from a coroutine of "
                + running + "; waiting would block that coroutine's loop. Wait from a coroutine of " + requested
                + " or from a thread that runs no loop.";
    }

    static String negative(String name, Duration value) {
        return name + " must be zero or positive: got " + value;
    }

    static String holdNotBelowAtMost(Duration holdFor, Duration atMost) {
        return "during(" + holdFor + ") must be shorter than atMost(" + atMost + "): the condition could never hold"
                + " that long before the wait times out";
    }

    static String atLeastNotBelowAtMost(Duration atLeast, Duration atMost) {
        return "atLeast(" + atLeast + ") must be shorter than atMost(" + atMost + ")";
    }

    /** Awaitility's way of writing a duration: "1 seconds", "500 milliseconds". */
    static String format(Duration duration) {
        if (duration.isZero()) {
            return "0 milliseconds";
        }
        if (duration.toNanosPart() % 1_000_000 != 0) {
            return duration.toNanos() + " nanoseconds";
        }
        if (duration.toMillisPart() != 0) {
            return duration.toMillis() + " milliseconds";
        }
        if (duration.getSeconds() % 60 != 0) {
            return duration.getSeconds() + " seconds";
        }
        return duration.toMinutes() + " minutes";
    }

    private static String decapitalize(String text) {
        return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }
}
