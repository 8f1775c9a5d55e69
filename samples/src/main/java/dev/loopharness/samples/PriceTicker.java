package dev.loopharness.samples;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.Task;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A live price ticker on the loop. A task, {@code price-ticker}, connects to a {@link PriceFeed}, keeps the
 * latest price of each symbol from its messages ({@code "ACME 101.50"}), and when the connection cannot be
 * opened or drops, reconnects after a wait that doubles with each failed attempt up to a cap, and starts again
 * from the first wait once a connect succeeds. The waits are {@code Async.sleep}, so they run in loop time:
 * under a {@link dev.loopharness.VirtualClock} a minute of backoff takes milliseconds.
 *
 * <p>Start and close the ticker on its loop; the latest prices and the counters can be read from any thread.
 */
public final class PriceTicker implements AutoCloseable {

    /**
     * How long to wait before reconnecting: {@code first} after the first failure or after a drop, twice the
     * previous wait after each further failure, never more than {@code max}.
     *
     * @param first the first wait; positive
     * @param max the longest wait; at least {@code first}
     */
    public record Backoff(Duration first, Duration max) {

        /**
         * Checks the waits.
         *
         * @throws NullPointerException if a wait is {@code null}
         * @throws IllegalArgumentException if {@code first} is not positive or {@code max} is shorter
         */
        public Backoff {
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(max, "max");
            if (first.isZero() || first.isNegative()) {
                throw new IllegalArgumentException("first must be a positive duration, but was " + first);
            }
            if (max.compareTo(first) < 0) {
                throw new IllegalArgumentException("max must be at least first (" + first + "), but was " + max);
            }
        }

        /**
         * The wait after one more failure.
         *
         * @param previous the wait before it
         * @return twice {@code previous}, or {@code max} if that is longer
         */
        public Duration after(Duration previous) {
            Duration doubled = previous.multipliedBy(2);
            return doubled.compareTo(max) > 0 ? max : doubled;
        }
    }

    /**
     * One price message: a symbol of capital letters and digits, one space, a non-negative decimal price.
     *
     * @param symbol the symbol, such as {@code ACME}
     * @param price the price, such as {@code 101.50}
     */
    public record Quote(String symbol, BigDecimal price) {

        private static final Pattern FORMAT = Pattern.compile("([A-Z][A-Z0-9.]{0,11}) (\\d{1,12}(?:\\.\\d{1,6})?)");

        /**
         * Parses a message.
         *
         * @param message the message, such as {@code "ACME 101.50"}
         * @return the quote
         * @throws IllegalArgumentException if the message is not of that form; the message names it
         */
        public static Quote parse(String message) {
            Matcher match = FORMAT.matcher(String.valueOf(message));
            if (!match.matches()) {
                throw new IllegalArgumentException("message must be a symbol and a price, such as \"ACME 101.50\","
                        + " but was \"" + message + "\"");
            }
            return new Quote(match.group(1), new BigDecimal(match.group(2)));
        }
    }

    /** How long {@link #close()} waits for the other side to answer its goodbye. */
    private static final Duration CLOSING_TIME = Duration.ofSeconds(5);

    private final EventLoop loop;
    private final PriceFeed feed;
    private final Backoff backoff;
    private final Map<String, BigDecimal> latest = new ConcurrentHashMap<>();
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicInteger messages = new AtomicInteger();
    private final AtomicReference<Exception> lastFailure = new AtomicReference<>();
    private Task<Void> task; // set once by start(), on the loop
    private PriceFeed.Connection connection; // the open one, if any; only touched on the loop
    private boolean closed;

    private PriceTicker(EventLoop loop, PriceFeed feed, Backoff backoff) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.feed = Objects.requireNonNull(feed, "feed");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
    }

    /**
     * Starts a ticker: its task connects on the loop's next iteration. Call on the loop's thread, or while the
     * loop is not running.
     *
     * @param loop the loop; not {@code null}
     * @param feed where the prices come from; not {@code null}
     * @param backoff the waits between connects; not {@code null}
     * @return the ticker; close it with {@link #close()}
     * @throws NullPointerException if an argument is {@code null}
     */
    public static PriceTicker start(EventLoop loop, PriceFeed feed, Backoff backoff) {
        PriceTicker ticker = new PriceTicker(loop, feed, backoff);
        ticker.task = loop.createTask(ticker::run);
        ticker.task.setName("price-ticker");
        return ticker;
    }

    /** The task's body: connect, read until the connection ends, wait, again; until cancelled. */
    private Void run() {
        Duration wait = backoff.first();
        while (true) {
            try {
                connection = Async.await(feed.connect(this::onMessage));
                connects.incrementAndGet();
                wait = backoff.first(); // a successful connect resets the backoff
                Async.await(connection.closed());
            } catch (CancellationException closing) {
                throw closing;
            } catch (Exception failed) { // the connect failed or the connection dropped: kept, then retried
                lastFailure.set(failed);
            } finally {
                connection = null;
            }
            Async.sleep(wait);
            wait = backoff.after(wait);
        }
    }

    /** Runs on the loop; a message that does not parse fails this callback, so the loop's handler reports it. */
    private void onMessage(String message) {
        Quote quote = Quote.parse(message);
        latest.put(quote.symbol(), quote.price());
        messages.incrementAndGet();
    }

    /**
     * The latest price of a symbol. Safe from any thread.
     *
     * @param symbol the symbol
     * @return its latest price, or empty if none arrived yet
     */
    public Optional<BigDecimal> latest(String symbol) {
        return Optional.ofNullable(latest.get(symbol));
    }

    /**
     * The latest price of every symbol seen so far. Safe from any thread.
     *
     * @return a copy, sorted by symbol
     */
    public Map<String, BigDecimal> prices() {
        return new TreeMap<>(latest);
    }

    /**
     * How many connects succeeded. Safe from any thread.
     *
     * @return the count
     */
    public int connects() {
        return connects.get();
    }

    /**
     * How many price messages arrived. Safe from any thread.
     *
     * @return the count
     */
    public int messages() {
        return messages.get();
    }

    /**
     * Why the last connect failed or the last connection ended, if one failed. Safe from any thread.
     *
     * @return the exception, or empty
     */
    public Optional<Exception> lastFailure() {
        return Optional.ofNullable(lastFailure.get());
    }

    /**
     * Stops the ticker: cancels its task (and with it a pending reconnect), closes the open connection (waiting
     * up to 5 s for the other side to answer, then cutting it), and waits until the task has ended. Must be called inside a coroutine on the ticker's loop, since it waits.
     * Idempotent.
     *
     * @throws IllegalStateException outside a coroutine; the message says where to call it
     */
    @Override
    public void close() {
        try {
            Async.currentTask();
        } catch (IllegalStateException outside) {
            throw new IllegalStateException(
                    "PriceTicker.close() waits for the ticker's task, so it must be called inside a coroutine on "
                            + loop + ", such as loop.runUntilComplete(() -> { ticker.close(); return null; })",
                    outside);
        }
        if (closed) {
            return;
        }
        closed = true;
        task.cancel("the price ticker was closed");
        PriceFeed.Connection open = connection;
        if (open != null) {
            closeGracefully(open);
        }
        try {
            Async.await(task);
        } catch (CancellationException ended) {
            if (!task.isCancelled()) {
                throw ended; // the caller itself was cancelled
            }
        }
    }

    /**
     * Says goodbye and waits for the other side's answer, after which the feed shuts the connection; cuts it
     * instead if no answer comes within a few seconds, or the goodbye fails.
     */
    private void closeGracefully(PriceFeed.Connection open) {
        try {
            Async.waitFor(() -> Async.await(open.close()), CLOSING_TIME);
        } catch (CancellationException cancelled) {
            open.abort();
            throw cancelled;
        } catch (Exception failed) { // no answer in time, or the connection failed meanwhile: kept
            lastFailure.set(failed);
            open.abort();
        }
    }

    @Override
    public String toString() {
        return "<PriceTicker on " + loop + ", " + connects() + " connects, " + messages() + " messages>";
    }
}
