package dev.loopharness.samples.reproductions;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.loopharness.Async;
import dev.loopharness.LoopFuture;
import dev.loopharness.Task;
import dev.loopharness.junit.ClockMode;
import dev.loopharness.junit.ExploreSchedules;
import dev.loopharness.junit.WithEventLoop;
import dev.loopharness.samples.report.Failure;
import dev.loopharness.samples.report.Fixtures;
import dev.loopharness.samples.report.Outcome;
import dev.loopharness.samples.report.Reproduction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * Reproduction 11: the price feed's cache, a check-then-act across an await. The cache looks a symbol up, misses,
 * fetches it (an await) and stores it; a second reader that arrives just after the fetch is due finds it stored,
 * in virtual time, where every timer fires exactly on time. In production the fetch's answer can be a little
 * late, the second reader misses too, and the exchange is asked twice. {@code @ExploreSchedules} finds that
 * schedule, its seed replays it, and the fix (caching the fetch in flight, so nothing is awaited between the
 * check and the act) passes every explored run.
 */
public final class RacyPriceCache implements Reproduction {

    /** How long the exchange takes to answer. */
    static final Duration LATENCY = Duration.ofMillis(20);

    /** When the second reader asks: 2 ms after the first fetch is due. */
    static final Duration SECOND_READER = Duration.ofMillis(22);

    /** An exchange that answers after {@link #LATENCY} of loop time and counts the questions. */
    static final class Exchange {
        int fetches;

        double fetch(String symbol) {
            fetches++;
            Async.sleep(LATENCY);
            return 64210.5;
        }
    }

    /** A price source with a cache. */
    interface Prices {
        double price(String symbol) throws Exception;
    }

    /** The bug: the check and the act are on either side of an await. */
    static final class RacyCache implements Prices {
        private final Exchange exchange;
        private final Map<String, Double> prices = new HashMap<>();

        RacyCache(Exchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public double price(String symbol) {
            Double cached = prices.get(symbol);
            if (cached != null) {
                return cached;
            }
            double fetched = exchange.fetch(symbol); // suspends: another reader may check meanwhile
            prices.put(symbol, fetched);
            return fetched;
        }
    }

    /** The fix: the fetch in flight is cached, so the check and the act happen in one step. */
    static final class CoalescingCache implements Prices {
        private final Exchange exchange;
        private final Map<String, LoopFuture<Double>> prices = new HashMap<>();

        CoalescingCache(Exchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public double price(String symbol) throws Exception {
            LoopFuture<Double> price = prices.computeIfAbsent(symbol, s -> Async.createTask(() -> exchange.fetch(s)));
            return Async.await(price);
        }
    }

    /** Two readers of one symbol, the second 22 ms after the first; the exchange must be asked once. */
    static void twoReaders(Prices cache, Exchange exchange) throws Exception {
        Task<Double> first = Async.createTask("first reader", () -> cache.price("BTC-USD"));
        Task<Double> second = Async.createTask("second reader", () -> {
            Async.sleep(SECOND_READER);
            return cache.price("BTC-USD");
        });
        Async.await(first);
        Async.await(second);
        if (exchange.fetches != 1) {
            throw new AssertionError(
                    "the exchange was asked " + exchange.fetches + " times for BTC-USD, expected once");
        }
    }

    /** The plain test: passes, every time. */
    @WithEventLoop(clock = ClockMode.VIRTUAL)
    public static class PlainTest {
        @Test
        void asksTheExchangeOnce() throws Exception {
            Exchange exchange = new Exchange();
            twoReaders(new RacyCache(exchange), exchange);
        }
    }

    /** The same test, explored. */
    @WithEventLoop(clock = ClockMode.VIRTUAL)
    public static class ExploredTest {
        @ExploreSchedules
        void asksTheExchangeOnce() throws Exception {
            Exchange exchange = new Exchange();
            twoReaders(new RacyCache(exchange), exchange);
        }
    }

    /** The fix, explored. */
    @WithEventLoop(clock = ClockMode.VIRTUAL)
    public static class FixedTest {
        @ExploreSchedules
        void asksTheExchangeOnce() throws Exception {
            Exchange exchange = new Exchange();
            twoReaders(new CoalescingCache(exchange), exchange);
        }
    }

    static Events run(Class<?> fixture, String seed) {
        return Fixtures.onThread("junit-" + fixture.getSimpleName(), () -> {
            EngineTestKit.Builder engine = EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture));
            if (seed != null) {
                engine.configurationParameter("loopharness.seed", seed);
            }
            return engine.execute().testEvents();
        });
    }

    static String seedOf(Throwable failure) {
        Matcher matcher = Pattern.compile("seed (0x[0-9a-f]+)").matcher(String.valueOf(failure.getMessage()));
        return matcher.find() ? matcher.group(1) : null;
    }

    @Override
    public Outcome run() {
        Events plain = run(PlainTest.class, null);
        Events explored = run(ExploredTest.class, null);
        List<Throwable> found = new ArrayList<>(Fixtures.failures(explored).values());
        String seed = found.isEmpty() ? null : seedOf(found.get(0));
        Events replayed = seed == null ? null : run(ExploredTest.class, seed);
        Events fixed = run(FixedTest.class, null);
        boolean ok = plain.succeeded().count() == 1
                && found.size() == 2
                && replayed != null
                && replayed.failed().count() == 2
                && fixed.succeeded().count() == 100
                && fixed.failed().count() == 0;
        List<Failure> failures = new ArrayList<>();
        for (Throwable failure : found) {
            failures.add(Failure.thrown("@ExploreSchedules", failure));
        }
        return new Outcome(
                "11. A check-then-act across an await, found by exploring schedules",
                "A price cache checks for a symbol, misses, awaits the exchange and stores the answer; a second"
                        + " reader 2 ms after the answer is due finds it stored. The plain test passes "
                        + plain.succeeded().count() + " of 1: in virtual time every timer fires on time."
                        + " @ExploreSchedules makes timers a little late, as an OS does:",
                failures,
                List.of("the reported seed, replayed with -Dloopharness.seed=" + seed + ": "
                        + (replayed == null ? 0 : replayed.failed().count()) + " failed, as before"),
                "cache the fetch in flight (a LoopFuture per symbol), so that nothing is awaited between the check"
                        + " and the act; both readers await the same fetch.",
                List.of("the fix, explored: " + fixed.succeeded().count() + " runs passed, "
                        + fixed.failed().count() + " failed"),
                ok);
    }
}
