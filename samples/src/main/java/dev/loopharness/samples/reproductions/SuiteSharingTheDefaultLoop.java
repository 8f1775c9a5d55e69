package dev.loopharness.samples.reproductions;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.EventLoopClosedException;
import dev.loopharness.EventLoops;
import dev.loopharness.junit.BodyMode;
import dev.loopharness.junit.LoopScope;
import dev.loopharness.junit.WithEventLoop;
import dev.loopharness.samples.report.Failure;
import dev.loopharness.samples.report.Fixtures;
import dev.loopharness.samples.report.Outcome;
import dev.loopharness.samples.report.Reproduction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.Events;

/**
 * Reproduction 2: the same disease in a test suite. Plain JUnit tests share the thread's default loop; a
 * tear-down closes it after the first test, and an innocent later test fails with "Event loop is closed". The
 * fixture classes are nested (Surefire does not run them directly) and run through the JUnit engine.
 */
public final class SuiteSharingTheDefaultLoop implements Reproduction {

    // ---- the failure: plain JUnit tests on the thread's default loop -----------------------------------------

    /** Two tests on "the" loop, as a suite had them before it adopted the harness. */
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    public abstract static class PriceTests {

        /** Runs first, and passes. */
        @Test
        @Order(1)
        void warmsTheCache() {
            String value = EventLoops.getEventLoop().runUntilComplete(() -> fetch("cache"));
            if (!value.equals("cache: ok")) {
                throw new AssertionError(value);
            }
        }

        /** Runs second: innocent, whatever happens to it. */
        @Test
        @Order(2)
        void readsPrices() {
            String value = EventLoops.getEventLoop().runUntilComplete(() -> fetch("prices"));
            if (!value.equals("prices: ok")) {
                throw new AssertionError(value);
            }
        }
    }

    /** The two tests on the thread's default loop; the tear-down closes it after the first, and the second pays. */
    public static class SharesTheDefaultLoop extends PriceTests {

        /** The culprit: "clean up" by closing the loop, which is the default loop of the thread. */
        @AfterEach
        void tearDown() {
            EventLoops.getEventLoop().close(); // the culprit: closes the loop every later test is handed
        }
    }

    // ---- the fix: a loop per test ----------------------------------------------------------------------------

    /** The same tests under {@code @WithEventLoop}: each test gets a fresh loop, which the harness closes. */
    @WithEventLoop
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    public static class LoopPerTest {

        /**
         * Runs first, as a coroutine on its own loop.
         *
         * @param loop the test's loop
         */
        @Test
        @Order(1)
        void warmsTheCache(EventLoop loop) {
            if (!fetch("cache").equals("cache: ok") || EventLoops.getEventLoop() != loop) {
                throw new AssertionError("not on the test's loop");
            }
        }

        /**
         * Runs second, on a loop of its own.
         *
         * @param loop the test's loop
         */
        @Test
        @Order(2)
        void readsPrices(EventLoop loop) {
            if (!fetch("prices").equals("prices: ok") || EventLoops.getEventLoop() != loop) {
                throw new AssertionError("not on the test's loop");
            }
        }
    }

    /**
     * The suite adopted in one step: the bodies of {@link PriceTests}, unchanged, run on the test thread and drive
     * the loop the harness made for each test; only the tear-down is gone, since the harness closes that loop.
     */
    @WithEventLoop(body = BodyMode.TEST_THREAD)
    public static class BodiesUnchangedOnTheTestThread extends PriceTests {}

    /**
     * The culprit kept, on a loop shared by the run: now the culprit itself fails, with a message that names the
     * loop's owner, and the innocent test passes.
     */
    @WithEventLoop(scope = LoopScope.SHARED)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    public static class SharedLoopGuarded {

        /** Runs first; its tear-down is refused. */
        @Test
        @Order(1)
        void warmsTheCache() {
            fetch("cache");
        }

        /** Runs second, and passes. */
        @Test
        @Order(2)
        void readsPrices() {
            fetch("prices");
        }

        /** The culprit, refused: the loop belongs to the harness. */
        @AfterEach
        void tearDown() {
            if (!closedOnce) {
                closedOnce = true;
                EventLoops.getEventLoop().close(); // refused: owned by @WithEventLoop(scope = SHARED)
            }
        }

        private static boolean closedOnce;

        static void reset() {
            closedOnce = false;
        }
    }

    private static String names(Events events) {
        List<String> names = new ArrayList<>();
        events.list().forEach(event -> names.add(event.getTestDescriptor().getDisplayName()));
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private static String fetch(String what) {
        Async.sleep(Duration.ofMillis(1));
        return what + ": ok";
    }

    // ---- the run ---------------------------------------------------------------------------------------------

    @Override
    public Outcome run() {
        boolean ok = true;
        List<Failure> failures = new ArrayList<>();
        Events plain = Fixtures.run(SharesTheDefaultLoop.class);
        Map<String, Throwable> plainFailures = Fixtures.failures(plain);
        Throwable innocent = plainFailures.get("readsPrices()");
        ok &= plain.succeeded().count() == 1 && plainFailures.size() == 1;
        if (innocent == null) {
            ok = false;
        } else {
            failures.add(Failure.thrown("test readsPrices(), which runs after warmsTheCache()", innocent));
            ok &= innocent instanceof EventLoopClosedException
                    && innocent.getMessage().startsWith("Event loop is closed")
                    && ((EventLoopClosedException) innocent)
                            .closedAt()
                            .map(f -> f.getMethodName().equals("tearDown"))
                            .orElse(false);
        }

        List<String> fixed = new ArrayList<>();
        Events perTest = Fixtures.run(LoopPerTest.class);
        fixed.add("@WithEventLoop (a fresh loop per test): "
                + perTest.succeeded().count() + " passed, " + perTest.failed().count() + " failed");
        ok &= perTest.succeeded().count() == 2 && perTest.failed().count() == 0;

        Events unchanged = Fixtures.run(BodiesUnchangedOnTheTestThread.class);
        fixed.add("@WithEventLoop(body = TEST_THREAD), bodies unchanged, tear-down removed: "
                + unchanged.succeeded().count() + " passed, "
                + unchanged.failed().count() + " failed");
        ok &= unchanged.succeeded().count() == 2 && unchanged.failed().count() == 0;

        SharedLoopGuarded.reset();
        Events shared = Fixtures.run(SharedLoopGuarded.class);
        Map<String, Throwable> sharedFailures = Fixtures.failures(shared);
        Throwable culprit = sharedFailures.get("warmsTheCache()");
        fixed.add("@WithEventLoop(scope = SHARED), tear-down kept: " + names(shared.succeeded()) + " passed; "
                + names(shared.failed()) + " failed, the culprit, as its tear-down was refused:");
        fixed.add(culprit == null ? "(no failure)" : culprit.toString());
        ok &= shared.succeeded().count() == 1
                && sharedFailures.size() == 1
                && culprit instanceof IllegalStateException
                && culprit.getMessage().contains("it is owned by @WithEventLoop(scope = SHARED)");
        return new Outcome(
                "2. The same disease in a test suite",
                "Plain JUnit tests (SharesTheDefaultLoop, run through the JUnit engine in a fixed order) take"
                        + " EventLoops.getEventLoop(); an @AfterEach closes it after the first test, and the"
                        + " second test, which did nothing wrong, fails.",
                failures,
                List.of(),
                "@WithEventLoop: each test runs as a coroutine on a fresh loop that the harness creates and closes,"
                        + " and EventLoops.getEventLoop() answers that loop; each runUntilComplete(() -> fetch(...))"
                        + " becomes a direct call, fetch(...), and the tear-down goes. Or keep the bodies as they"
                        + " are with @WithEventLoop(body = TEST_THREAD): they drive the harness's loop from the test"
                        + " thread. On a loop the harness shares (scope = SHARED) a test cannot close it: the"
                        + " culprit fails, not its neighbour.",
                fixed,
                ok);
    }
}
