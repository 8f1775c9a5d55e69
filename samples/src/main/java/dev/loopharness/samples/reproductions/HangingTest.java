package dev.loopharness.samples.reproductions;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.LoopFuture;
import dev.loopharness.VirtualTimeDeadlockException;
import dev.loopharness.junit.ClockMode;
import dev.loopharness.junit.LoopTimeoutError;
import dev.loopharness.junit.WithEventLoop;
import dev.loopharness.samples.report.Failure;
import dev.loopharness.samples.report.Fixtures;
import dev.loopharness.samples.report.Outcome;
import dev.loopharness.samples.report.Reproduction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * Reproduction 6: a hanging test. A test awaits a reply that nobody sends. With a timeout it fails past it with a
 * {@link LoopTimeoutError} that lists the waiting task and where it waits; in virtual time it fails at once with
 * a {@link VirtualTimeDeadlockException}.
 */
public final class HangingTest implements Reproduction {

    // ---- the failures ----------------------------------------------------------------------------------------

    /** Awaits a reply nobody sends, on the real clock, with a timeout of 300 ms. */
    @WithEventLoop(timeout = "300ms")
    public static class WaitsForAReply {
        /**
         * Hangs.
         *
         * @param loop the test's loop
         */
        @Test
        void awaitsTheReply(EventLoop loop) {
            LoopFuture<String> reply = loop.createFuture(); // nobody will ever complete it
            Async.await(reply);
        }
    }

    /** The same in virtual time: the loop sees that nothing can ever complete the reply. */
    @WithEventLoop(clock = ClockMode.VIRTUAL)
    public static class WaitsForAReplyInVirtualTime {
        /**
         * Deadlocks.
         *
         * @param loop the test's loop
         */
        @Test
        void awaitsTheReply(EventLoop loop) {
            LoopFuture<String> reply = loop.createFuture(); // nobody will ever complete it
            Async.await(reply);
        }
    }

    // ---- the fix ---------------------------------------------------------------------------------------------

    /** The reply is sent (by a timer, after 2 s of virtual time), and awaited with a bound. */
    @WithEventLoop(clock = ClockMode.VIRTUAL)
    public static class GetsAReply {
        /**
         * Passes at once.
         *
         * @param loop the test's loop
         * @throws Exception if the reply does not come within 10 s of loop time
         */
        @Test
        void awaitsTheReply(EventLoop loop) throws Exception {
            LoopFuture<String> reply = loop.createFuture();
            loop.callLater(Duration.ofSeconds(2), () -> reply.setResult("pong"));
            String answer = Async.waitFor(() -> Async.await(reply), Duration.ofSeconds(10));
            if (!answer.equals("pong")) {
                throw new AssertionError(answer);
            }
        }
    }

    @Override
    public Outcome run() {
        boolean ok = true;
        List<Failure> failures = new ArrayList<>();
        String frame = ".awaitsTheReply(HangingTest.java:";

        Map<String, Throwable> real = Fixtures.failures(Fixtures.run(WaitsForAReply.class));
        Throwable timeout = real.get("awaitsTheReply(EventLoop)");
        if (timeout == null) {
            ok = false;
        } else {
            failures.add(Failure.thrown("test WaitsForAReply.awaitsTheReply(), timeout = \"300ms\"", timeout));
            ok &= timeout instanceof LoopTimeoutError
                    && timeout.getMessage().contains("did not complete within PT0.3S")
                    && timeout.getMessage().contains("waiting at " + WaitsForAReply.class.getName() + frame);
        }

        long realStart = System.nanoTime();
        Map<String, Throwable> virtual = Fixtures.failures(Fixtures.run(WaitsForAReplyInVirtualTime.class));
        long virtualMillis = (System.nanoTime() - realStart) / 1_000_000;
        Throwable deadlock = virtual.get("awaitsTheReply(EventLoop)");
        if (deadlock == null) {
            ok = false;
        } else {
            failures.add(Failure.thrown(
                    "test WaitsForAReplyInVirtualTime.awaitsTheReply(), clock = VIRTUAL, after " + virtualMillis
                            + " ms of real time",
                    deadlock));
            ok &= deadlock instanceof VirtualTimeDeadlockException
                    && deadlock.getMessage()
                            .contains("waiting at " + WaitsForAReplyInVirtualTime.class.getName() + frame);
        }

        Events fixed = Fixtures.run(GetsAReply.class);
        ok &= fixed.succeeded().count() == 1 && fixed.failed().count() == 0;
        return new Outcome(
                "7. A hanging test",
                "A test awaits a reply (loop.createFuture()) that nobody ever sends: once under"
                        + " @WithEventLoop(timeout = \"300ms\") on the real clock, once under"
                        + " @WithEventLoop(clock = VIRTUAL).",
                failures,
                List.of(),
                "Make sure something completes what a test awaits, and bound the wait: here a timer sends the"
                        + " reply after 2 s of virtual time and the test awaits it with Async.waitFor(..., 10 s).",
                List.of("GetsAReply: " + fixed.succeeded().count() + " passed, "
                        + fixed.failed().count() + " failed"),
                ok);
    }
}
