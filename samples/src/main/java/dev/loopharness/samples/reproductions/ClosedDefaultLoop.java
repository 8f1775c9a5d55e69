package dev.loopharness.samples.reproductions;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.EventLoopClosedException;
import dev.loopharness.EventLoops;
import dev.loopharness.samples.report.Failure;
import dev.loopharness.samples.report.Fixtures;
import dev.loopharness.samples.report.Outcome;
import dev.loopharness.samples.report.Reproduction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reproduction 1: the closed default loop. Two methods each take the thread's default loop with {@code
 * EventLoops.getEventLoop()}, run a coroutine on it and close it; the second one is handed the loop the first
 * closed, and fails with "Event loop is closed", which names where the first one closed it.
 */
public final class ClosedDefaultLoop implements Reproduction {

    /** Thread the failing half runs on, so that the loop it closes is not the caller's default loop. */
    static final String THREAD = "nightly-job";

    // ---- the failure -----------------------------------------------------------------------------------------

    /**
     * Fetches prices on "the" loop and closes it when done, as a well-meaning method does.
     *
     * @return the prices
     */
    static String fetchPrices() {
        EventLoop loop = EventLoops.getEventLoop();
        String prices = loop.runUntilComplete(() -> download("prices"));
        loop.close(); // closes the thread's default loop: every later getEventLoop() on this thread gets it, closed
        return prices;
    }

    /**
     * Fetches the news the same way; run after {@link #fetchPrices()} on the same thread, it fails.
     *
     * @return the news
     */
    static String fetchNews() {
        EventLoop loop = EventLoops.getEventLoop();
        String news = loop.runUntilComplete(() -> download("news"));
        loop.close();
        return news;
    }

    // ---- the fix ---------------------------------------------------------------------------------------------

    /**
     * A fresh loop per unit of work: {@code EventLoops.run} creates one, runs the coroutine and closes it.
     *
     * @return the prices
     */
    static String fetchPricesFixed() {
        return EventLoops.run(() -> download("prices"));
    }

    /**
     * The same with a loop of its own, created with {@code newEventLoop()} and closed by try-with-resources.
     *
     * @return the news
     */
    static String fetchNewsFixed() {
        try (EventLoop loop = EventLoops.newEventLoop()) {
            return loop.runUntilComplete(() -> download("news"));
        }
    }

    private static String download(String what) {
        Async.sleep(Duration.ofMillis(5));
        return what + ": 42 items";
    }

    // ---- the run ---------------------------------------------------------------------------------------------

    @Override
    public Outcome run() {
        List<Failure> failures = new ArrayList<>();
        boolean ok = true;
        EventLoopClosedException closed = Fixtures.onThread(THREAD, () -> {
            fetchPrices();
            try {
                fetchNews();
                return null;
            } catch (EventLoopClosedException expected) {
                return expected;
            } finally {
                EventLoops.setEventLoop(null);
            }
        });
        if (closed == null) {
            ok = false;
        } else {
            failures.add(Failure.thrown("fetchNews(), called after fetchPrices() on the same thread", closed));
            ok &= closed.getMessage().startsWith("Event loop is closed")
                    && closed.closedAt()
                            .map(f -> f.getMethodName().equals("fetchPrices"))
                            .orElse(false)
                    && closed.getMessage().contains(where(closed));
        }
        List<String> fixed = Fixtures.onThread(THREAD, () -> {
            List<String> results = new ArrayList<>();
            for (int round = 1; round <= 2; round++) {
                results.add("round " + round + ": " + fetchPricesFixed() + " (EventLoops.run), " + fetchNewsFixed()
                        + " (newEventLoop() in try-with-resources)");
            }
            return results;
        });
        ok &= fixed.size() == 2
                && fixed.stream().allMatch(line -> line.contains("prices: 42") && line.contains("news: 42"));
        return new Outcome(
                "1. The closed default loop",
                "fetchPrices() and fetchNews() each take EventLoops.getEventLoop() (the thread's default loop), run a"
                        + " coroutine on it and close it. Called one after the other on one thread, the second is"
                        + " handed the loop the first closed.",
                failures,
                List.of(),
                "One loop per unit of work: EventLoops.run(() -> ...) creates, runs and closes a fresh loop; or"
                        + " EventLoops.newEventLoop() in try-with-resources. In tests, @WithEventLoop gives each test"
                        + " its own loop (reproduction 2).",
                fixed,
                ok);
    }

    /**
     * The frame that closed the loop, as the message prints it: {@code Class.method(File.java:line)}.
     *
     * @param closed the exception
     * @return the frame, or {@code "?"} if unknown
     */
    static String where(EventLoopClosedException closed) {
        return closed.closedAt()
                .map(f -> f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":" + f.getLineNumber()
                        + ")")
                .orElse("?");
    }
}
