package dev.loopharness.samples.reproductions;

import dev.loopharness.Async;
import dev.loopharness.Task;
import dev.loopharness.junit.ClockMode;
import dev.loopharness.junit.LeakPolicy;
import dev.loopharness.junit.LeakedWorkError;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.Events;

/**
 * Reproduction 7: a leaked task breaks the next test on a shared loop. The first test starts a task that clears a
 * shared cache a second later, and does not wait for it; on a loop shared by the run the task outlives its test and
 * fires in the middle of the next one, which fails. Under the default leak policy (FAIL) the first test fails
 * itself, naming the task and where it was created, and the task is cancelled: the next test passes.
 */
public final class LeakedTaskOnASharedLoop implements Reproduction {

    /** The code under test: a price cache and a refresher that clears it. */
    static final class PriceCache {

        static final Map<String, String> ENTRIES = new ConcurrentHashMap<>();

        private PriceCache() {}

        /**
         * Starts a task that clears the cache after one second, and returns without waiting for it.
         *
         * @return the task
         */
        static Task<Void> startRefresher() {
            Task<Void> refresher = Async.createTask(() -> {
                Async.sleep(Duration.ofSeconds(1));
                ENTRIES.clear(); // fires in whatever test runs a second later
                return null;
            });
            refresher.setName("cache-refresher");
            return refresher;
        }

        /**
         * Starts a periodic job on a scheduler that clears the cache every second, and returns without stopping it.
         *
         * @param scheduler the scheduler
         * @return the job
         */
        static ScheduledFuture<?> startPeriodicRefresher(ScheduledExecutorService scheduler) {
            return scheduler.scheduleAtFixedRate(ENTRIES::clear, 500, 1000, TimeUnit.MILLISECONDS);
        }
    }

    // ---- the tests, run on a loop shared by the run -----------------------------------------------------------

    /** Two tests in a fixed order; the first leaks a task, the second is innocent. */
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    abstract static class PriceCacheTests {

        /** Runs first: starts the refresher and does not wait for it (the culprit). */
        @Test
        @Order(1)
        void startsTheRefresher() {
            Task<Void> refresher = PriceCache.startRefresher(); // the culprit: neither awaited nor cancelled
            if (refresher.isDone()) {
                throw new AssertionError("the refresher ended at once");
            }
        }

        /** Runs second, innocent: stores a price, does two seconds of work, and reads the price back. */
        @Test
        @Order(2)
        void readsAPrice() {
            PriceCache.ENTRIES.put("ACME", "101.50");
            Async.sleep(Duration.ofSeconds(2)); // meanwhile, the first test's refresher fires
            String price = PriceCache.ENTRIES.get("ACME");
            if (!"101.50".equals(price)) {
                throw new AssertionError("expected the price of ACME to be 101.50, but the cache held " + price);
            }
        }
    }

    /**
     * The same two tests with a periodic job of the test's {@code ScheduledExecutorService} as the culprit: it has
     * run once when the test ends, and its next run is armed by its own callback, not by the test.
     */
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    abstract static class PeriodicRefresherTests extends PriceCacheTests {

        /**
         * Runs first: starts the periodic refresher, lets it run once, and does not stop it (the culprit).
         *
         * @param scheduler the test's scheduler, a view of its loop
         */
        @Test
        @Order(1)
        void startsThePeriodicRefresher(ScheduledExecutorService scheduler) {
            PriceCache.startPeriodicRefresher(scheduler); // the culprit: never cancelled
            Async.sleep(Duration.ofMillis(600));
        }

        @Override
        void startsTheRefresher() {
            // this variant's culprit is the periodic job above
        }
    }

    /** The periodic culprit found: under FAIL its job, re-armed in its own callback, fails its test. */
    @WithEventLoop(scope = LoopScope.SHARED, clock = ClockMode.VIRTUAL)
    public static class FailsOnPeriodicLeaks extends PeriodicRefresherTests {}

    /** The failure: leftovers are only warned about (through System.Logger), and keep running. */
    @WithEventLoop(scope = LoopScope.SHARED, clock = ClockMode.VIRTUAL, leaks = LeakPolicy.WARN)
    public static class WarnsOnLeaks extends PriceCacheTests {}

    /** The fix: the default leak policy, FAIL. */
    @WithEventLoop(scope = LoopScope.SHARED, clock = ClockMode.VIRTUAL)
    public static class FailsOnLeaks extends PriceCacheTests {}

    /** Also a fix, when leftovers are expected: they are cancelled silently. */
    @WithEventLoop(scope = LoopScope.SHARED, clock = ClockMode.VIRTUAL, leaks = LeakPolicy.CANCEL)
    public static class CancelsLeaks extends PriceCacheTests {}

    /**
     * Runs a fixture class with an empty cache.
     *
     * @param fixture the class
     * @return the test events
     */
    static Events run(Class<? extends PriceCacheTests> fixture) {
        PriceCache.ENTRIES.clear();
        return Fixtures.run(fixture);
    }

    /** The first failure of a run, or {@code null}. */
    private static Throwable firstFailure(Events events) {
        return Fixtures.failures(events).values().stream().findFirst().orElse(null);
    }

    private static String names(Events events) {
        List<String> names = new ArrayList<>();
        events.list().forEach(event -> names.add(event.getTestDescriptor().getDisplayName()));
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    // ---- the run ---------------------------------------------------------------------------------------------

    @Override
    public Outcome run() {
        boolean ok = true;
        List<Failure> failures = new ArrayList<>();

        Events warned = run(WarnsOnLeaks.class);
        Map<String, Throwable> warnedFailures = Fixtures.failures(warned);
        Throwable innocent = warnedFailures.get("readsAPrice()");
        ok &= warned.succeeded().count() == 1 && warnedFailures.size() == 1;
        if (innocent == null) {
            ok = false;
        } else {
            failures.add(Failure.thrown("test readsAPrice(), which runs after startsTheRefresher()", innocent));
            ok &= innocent.getClass() == AssertionError.class
                    && innocent.getMessage().contains("but the cache held null");
        }

        List<String> fixed = new ArrayList<>();
        Events failing = run(FailsOnLeaks.class);
        Map<String, Throwable> failingFailures = Fixtures.failures(failing);
        Throwable culprit = failingFailures.get("startsTheRefresher()");
        if (culprit == null) {
            ok = false;
        } else {
            failures.add(Failure.thrown("with the default leaks = FAIL, test startsTheRefresher() itself", culprit));
            ok &= culprit instanceof LeakedWorkError
                    && culprit.getMessage()
                            .startsWith("Test \"FailsOnLeaks.startsTheRefresher()\" left work pending on its"
                                    + " event loop: 1 task and 1 timer.")
                    && culprit.getMessage()
                            .contains("task 'cache-refresher' created at " + PriceCache.class.getName()
                                    + ".startRefresher(LeakedTaskOnASharedLoop.java:");
        }
        fixed.add("leaks = FAIL (the default): " + names(failing.succeeded()) + " passed; " + names(failing.failed())
                + " failed, the culprit, with the LeakedWorkError above");
        ok &= failing.succeeded().count() == 1 && failingFailures.size() == 1;

        Events periodic = run(FailsOnPeriodicLeaks.class);
        Throwable periodicCulprit = firstFailure(periodic);
        fixed.add("a periodic refresher (scheduleAtFixedRate, after its first run), leaks = FAIL: "
                + names(periodic.succeeded()) + " passed; " + names(periodic.failed())
                + " failed, naming the job's timer and the test code that started it:");
        if (periodicCulprit != null) {
            periodicCulprit.getMessage().lines().limit(3).map(String::trim).forEach(fixed::add);
        }
        ok &= periodic.succeeded().count() == 1
                && periodic.failed().count() == 1
                && periodicCulprit instanceof LeakedWorkError
                && periodicCulprit
                        .getMessage()
                        .startsWith("Test \"FailsOnPeriodicLeaks.startsThePeriodicRefresher()\" left work pending on"
                                + " its event loop: 0 tasks and 1 timer.");

        Events cancelled = run(CancelsLeaks.class);
        fixed.add("leaks = CANCEL: " + cancelled.succeeded().count() + " passed, "
                + cancelled.failed().count() + " failed; the refresher was cancelled silently");
        ok &= cancelled.succeeded().count() == 2 && cancelled.failed().count() == 0;
        return new Outcome(
                "5. A leaked task breaks the next test on a shared loop",
                "Two tests in a fixed order on a loop shared by the run, in virtual time, with"
                        + " @WithEventLoop(scope = SHARED, leaks = WARN): startsTheRefresher() starts a task that"
                        + " clears a shared price cache a second later and does not wait for it; the task outlives"
                        + " its test, fires in the middle of readsAPrice(), and that test, which did nothing wrong,"
                        + " fails. WARN only logs what was left.",
                failures,
                List.of(),
                "leave the leak policy at its default, FAIL: the test that leaks fails itself, with a"
                        + " LeakedWorkError naming the task and where it was created, and the task is cancelled"
                        + " before the next test; leaks = CANCEL cancels it silently, for leftovers that are"
                        + " expected. Better still, await or cancel what a test starts (a TaskGroup does it).",
                fixed,
                ok);
    }
}
