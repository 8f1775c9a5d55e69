package dev.loopharness.samples.reproductions;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.junit.ClockMode;
import dev.loopharness.junit.WithEventLoop;
import dev.loopharness.samples.report.Failure;
import dev.loopharness.samples.report.Fixtures;
import dev.loopharness.samples.report.Outcome;
import dev.loopharness.samples.report.Reproduction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * Reproduction 10: Java's own "Event loop is closed". Test classes share a static {@code ScheduledExecutorService};
 * one class shuts it down in its {@code @AfterAll}, and the next class fails with {@code
 * RejectedExecutionException}. The fix: {@code @WithEventLoop} injects a scheduler per test, a view of the test's
 * loop, which nobody else can shut down.
 */
public final class SharedExecutorShutDown implements Reproduction {

    /** The culprit's shared state: one scheduler for every test class, as a suite's helper class often has. */
    public static final class Schedulers {

        private static ScheduledExecutorService shared;

        private Schedulers() {}

        /**
         * The scheduler every test class uses.
         *
         * @return the shared scheduler
         */
        public static synchronized ScheduledExecutorService shared() {
            return shared;
        }

        /**
         * Waits for the shared scheduler's thread to end after the culprit's shutdown, so that none outlives a run.
         *
         * @return whether it ended within ten seconds
         * @throws InterruptedException if interrupted while waiting
         */
        static synchronized boolean awaitEnd() throws InterruptedException {
            return shared.awaitTermination(10, TimeUnit.SECONDS);
        }

        /** A fresh scheduler before a run of the sample, which the first class then shuts down. */
        static synchronized void reset() {
            if (shared != null) {
                shared.shutdownNow();
            }
            shared = Executors.newSingleThreadScheduledExecutor();
        }
    }

    // ---- the failure: two classes share a static scheduler -------------------------------------------------

    /** Runs first (classes run in name order here); passes, then shuts the shared scheduler down. */
    public static class FirstClassShutsItDown {

        /**
         * Schedules a quote refresh and waits for it.
         *
         * @throws Exception if the wait fails
         */
        @Test
        void refreshesQuotes() throws Exception {
            scheduleOnTheSharedScheduler("ACME 101.5");
        }

        /** The culprit: "clean up" the scheduler, which is every class's. */
        @AfterAll
        static void shutDown() {
            Schedulers.shared().shutdown(); // the culprit: every later class is handed a dead scheduler
        }
    }

    /** Runs second, innocent, and fails: the scheduler it is handed was shut down by the first class. */
    public static class SecondClassUsesIt {

        /**
         * Schedules an alert and waits for it.
         *
         * @throws Exception if the wait fails
         */
        @Test
        void sendsAnAlert() throws Exception {
            scheduleOnTheSharedScheduler("alert sent");
        }
    }

    /** What both plain classes do: schedule a value on the shared scheduler and wait for it. */
    private static void scheduleOnTheSharedScheduler(String value) throws Exception {
        String result = Schedulers.shared()
                .schedule(() -> value, 10, TimeUnit.MILLISECONDS)
                .get(10, TimeUnit.SECONDS);
        if (!result.equals(value)) {
            throw new AssertionError(result);
        }
    }

    // ---- the fix: the scheduler of the test's loop, injected per test ---------------------------------------

    /** The first class, fixed: a scheduler per test, a view of the test's loop. */
    @WithEventLoop(clock = ClockMode.VIRTUAL)
    public static class FirstClassFixed {

        /**
         * Schedules a quote refresh in loop time and awaits it.
         *
         * @param scheduler the test's scheduler, a view of its loop
         */
        @Test
        void refreshesQuotes(ScheduledExecutorService scheduler) {
            CompletableFuture<String> quote = new CompletableFuture<>();
            scheduler.schedule(() -> quote.complete("ACME 101.5"), 10, TimeUnit.MILLISECONDS);
            if (!Async.await(quote).equals("ACME 101.5")) {
                throw new AssertionError("no quote");
            }
            scheduler.shutdown(); // harmless: shuts this view down, never the loop or another test's view
        }
    }

    /** The second class, fixed: its own scheduler, whatever the first class did to its own. */
    @WithEventLoop(clock = ClockMode.VIRTUAL)
    public static class SecondClassFixed {

        /**
         * Schedules an alert in loop time and awaits it.
         *
         * @param scheduler the test's scheduler, a view of its loop
         * @param loop the test's loop
         */
        @Test
        void sendsAnAlert(ScheduledExecutorService scheduler, EventLoop loop) {
            CompletableFuture<Long> sent = new CompletableFuture<>();
            scheduler.schedule(() -> sent.complete(loop.time()), 10, TimeUnit.MILLISECONDS);
            if (Async.await(sent) != Duration.ofMillis(10).toNanos()) {
                throw new AssertionError("the alert was not sent on time");
            }
        }
    }

    /** Runs fixture classes in one engine run, in class-name order, as a suite runs its classes. */
    static Events runInOrder(Class<?> first, Class<?> second) {
        return Fixtures.onThread(
                "junit-" + first.getSimpleName(),
                () -> EngineTestKit.engine("junit-jupiter")
                        .configurationParameter(
                                "junit.jupiter.testclass.order.default", "org.junit.jupiter.api.ClassOrderer$ClassName")
                        .selectors(selectClass(first), selectClass(second))
                        .execute()
                        .testEvents());
    }

    // ---- the run ---------------------------------------------------------------------------------------------

    @Override
    public Outcome run() {
        Schedulers.reset();
        Events plain = runInOrder(FirstClassShutsItDown.class, SecondClassUsesIt.class);
        Map<String, Throwable> plainFailures = Fixtures.failures(plain);
        Throwable innocent = plainFailures.get("sendsAnAlert()");
        boolean ok = plain.succeeded().count() == 1
                && plainFailures.size() == 1
                && innocent instanceof RejectedExecutionException
                && innocent.getMessage().contains("rejected from java.util.concurrent.ScheduledThreadPoolExecutor");
        List<Failure> failures = new ArrayList<>();
        if (innocent != null) {
            failures.add(Failure.thrown("test sendsAnAlert() of the second class", innocent));
        }
        try {
            ok &= Schedulers.awaitEnd();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            ok = false;
        }
        Events fixedRun = runInOrder(FirstClassFixed.class, SecondClassFixed.class);
        ok &= fixedRun.succeeded().count() == 2 && fixedRun.failed().count() == 0;
        return new Outcome(
                "10. A shared executor shut down under the next class",
                "Two plain JUnit classes (run in name order) share a static ScheduledExecutorService; the"
                        + " first shuts it down in its @AfterAll, and the second, which did nothing wrong, fails:"
                        + " Java's own \"Event loop is closed\".",
                failures,
                List.of(),
                "@WithEventLoop on both classes, and the scheduler taken as a test parameter: each test gets a"
                        + " view of its own loop, in loop time, which no other class can shut down (shutting a"
                        + " view down stops that view only).",
                List.of("@WithEventLoop, a scheduler per test: "
                        + fixedRun.succeeded().count() + " passed, "
                        + fixedRun.failed().count() + " failed"),
                ok);
    }
}
