package dev.loopharness.samples.reproductions;

import dev.loopharness.Async;
import dev.loopharness.EventLoops;
import dev.loopharness.Task;
import dev.loopharness.TaskGroupException;
import dev.loopharness.VirtualClock;
import dev.loopharness.samples.report.Outcome;
import dev.loopharness.samples.report.Reproduction;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * Reproduction 9: the best price from three exchanges under one deadline. With {@code Async.gather} the first
 * failure reaches the caller alone, and the other requests run on unseen. With a timeout scope around a task
 * group, a failure cancels the other requests at once, the deadline bounds the whole, and the error names what
 * happened to each exchange. Everything runs in virtual time.
 */
public final class BestPrice implements Reproduction {

    /** The symbol asked for. */
    static final String SYMBOL = "BTC-USD";

    /** The deadline for the whole question. */
    static final Duration DEADLINE = Duration.ofSeconds(2);

    /**
     * An exchange that answers after a latency of loop time, or fails then.
     *
     * @param name its name
     * @param latency how long it takes to answer
     * @param price its price, or {@code null} if it fails
     * @param failure why it fails, or {@code null} if it answers
     */
    record Exchange(String name, Duration latency, BigDecimal price, String failure) {

        Quote quote(Journal journal) throws IOException {
            try {
                Async.sleep(latency);
            } catch (CancellationException e) {
                journal.add(name + ": cancelled at " + journal.now() + " (it would have answered at "
                        + Journal.seconds(latency.toNanos()) + ")");
                throw e;
            }
            if (failure != null) {
                journal.add(name + ": failed at " + journal.now() + ": " + failure);
                throw new IOException(name + " answered " + failure);
            }
            journal.add(name + ": answered " + price + " at " + journal.now());
            return new Quote(name, price);
        }
    }

    /**
     * A price from one exchange.
     *
     * @param exchange the exchange
     * @param price the price
     */
    record Quote(String exchange, BigDecimal price) {}

    /** What happened to each request, in loop time, in the order it happened. */
    static final class Journal {
        private final List<String> lines = new ArrayList<>();

        void add(String line) {
            lines.add(line);
        }

        List<String> lines() {
            return List.copyOf(lines);
        }

        String now() {
            return seconds(Async.loop().time());
        }

        static String seconds(long nanos) {
            return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
        }
    }

    /** The question could not be answered; the message names what happened to every exchange. */
    static final class PriceUnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        PriceUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Three exchanges; kraken fails after 0.3 s. */
    static final List<Exchange> ONE_FAILING = List.of(
            new Exchange("binance", Duration.ofMillis(1200), new BigDecimal("64210.50"), null),
            new Exchange("kraken", Duration.ofMillis(300), null, "503 Service Unavailable"),
            new Exchange("coinbase", Duration.ofMillis(1800), new BigDecimal("64198.25"), null));

    /** Three exchanges that answer; coinbase only after 4 s, past the deadline. */
    static final List<Exchange> ONE_SLOW = List.of(
            new Exchange("binance", Duration.ofMillis(1200), new BigDecimal("64210.50"), null),
            new Exchange("kraken", Duration.ofMillis(300), new BigDecimal("64205.00"), null),
            new Exchange("coinbase", Duration.ofMillis(4000), new BigDecimal("64198.25"), null));

    /**
     * The naive way: {@code Async.gather} of the three requests, no deadline. The failure reaches the caller
     * alone; the caller waits 5 s more to show that the other requests ran on.
     *
     * @param exchanges the exchanges
     * @return the journal, ending with what the caller saw
     */
    static List<String> gathered(List<Exchange> exchanges) {
        return EventLoops.run(new VirtualClock(), () -> {
            Journal journal = new Journal();
            List<Task<Quote>> requests = new ArrayList<>();
            for (Exchange exchange : exchanges) {
                requests.add(Async.createTask(exchange.name(), () -> exchange.quote(journal)));
            }
            try {
                Async.gather(requests);
            } catch (Exception e) {
                journal.add("caller: Async.gather threw at " + journal.now() + ": " + e);
            }
            Async.sleep(Duration.ofSeconds(5));
            return journal.lines();
        });
    }

    /**
     * The structured way: the requests in a task group, the group under one deadline.
     *
     * @param exchanges the exchanges
     * @param journal where to write what happened
     * @return the lowest price
     * @throws PriceUnavailableException if an exchange failed or the deadline passed; the message says what
     *     happened to each exchange
     */
    static Quote best(List<Exchange> exchanges, Journal journal) throws PriceUnavailableException {
        List<Task<Quote>> quotes = new ArrayList<>();
        try {
            Async.timeout(
                    DEADLINE,
                    scope -> Async.taskGroup(group -> {
                        for (Exchange exchange : exchanges) {
                            quotes.add(group.createTask(exchange.name(), () -> exchange.quote(journal)));
                        }
                        return null;
                    }));
        } catch (TaskGroupException | TimeoutException e) {
            throw new PriceUnavailableException(
                    "No price for " + SYMBOL + " at " + journal.now() + " of loop time (deadline "
                            + Journal.seconds(DEADLINE.toNanos()) + "): " + e.getMessage() + "\n"
                            + String.join("\n", journal.lines()),
                    e);
        } catch (Exception unexpected) {
            throw new IllegalStateException(unexpected);
        }
        return quotes.stream()
                .map(Task::result)
                .min(Comparator.comparing(Quote::price))
                .orElseThrow();
    }

    /**
     * Runs {@link #best} on a fresh loop in virtual time.
     *
     * @param exchanges the exchanges
     * @return the quote, or the exception
     */
    static Object bestOnALoop(List<Exchange> exchanges) {
        return EventLoops.run(new VirtualClock(), () -> {
            try {
                return best(exchanges, new Journal());
            } catch (PriceUnavailableException e) {
                return e;
            }
        });
    }

    @Override
    public Outcome run() {
        List<String> naive = gathered(ONE_FAILING);
        Object failed = bestOnALoop(ONE_FAILING);
        Object late = bestOnALoop(ONE_SLOW);
        List<String> fixed = new ArrayList<>();
        for (Object result : List.of(failed, late)) {
            String[] lines = String.valueOf(result instanceof Exception ? ((Exception) result).getMessage() : result)
                    .split("\n");
            fixed.add(lines[0]);
            for (int i = 1; i < lines.length; i++) {
                fixed.add("   " + lines[i]); // drawn as it is, under the message
            }
        }
        boolean ok = naive.contains("binance: answered 64210.50 at 1.2 s")
                && failed instanceof PriceUnavailableException
                && ((Exception) failed).getMessage().contains("coinbase: cancelled at 0.3 s")
                && late instanceof PriceUnavailableException
                && ((Exception) late).getMessage().contains("coinbase: cancelled at 2.0 s");
        List<String> details = new ArrayList<>();
        details.add("With Async.gather and no deadline:");
        for (String line : naive) {
            details.add("  " + line);
        }
        return new Outcome(
                "9. The best price from three exchanges: Async.gather versus a task group under a deadline",
                "Three exchanges are asked for " + SYMBOL + "; kraken fails after 0.3 s with a 503. Asked with"
                        + " Async.gather, the caller gets kraken's IOException alone, and the two other requests"
                        + " run on unseen after it has given up.",
                List.of(),
                details,
                "Async.timeout(2 s, scope -> Async.taskGroup(group -> ...)): kraken's failure cancels the other"
                        + " requests at once, and the error says what happened to each exchange; when no exchange"
                        + " fails but one is slow, the deadline cancels it at 2 s.",
                fixed,
                ok);
    }
}
