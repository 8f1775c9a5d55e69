package dev.loopharness.samples.examples;

import dev.loopharness.Async;
import dev.loopharness.ContextVar;
import dev.loopharness.EventLoop;
import dev.loopharness.LoopQueue;
import dev.loopharness.QueueShutDownException;
import dev.loopharness.Task;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * <p>The messages go through a bounded {@link LoopQueue}, {@code prices}, to a second task, {@code
 * price-consumer}, which publishes each quote (taking {@link Processing#perQuote()} of loop time). When the queue
 * is full, the message is put by a task, {@code price-reader}, that waits for room, and the feed reads no further
 * message meanwhile: a slow consumer slows the feed down (back-pressure) instead of piling up messages. Each
 * message gets a request id ({@code conn-2/7}: the 7th message of the connection made at the 2nd attempt), which the consumer sets in
 * {@link #REQUEST_ID} while it handles the quote; the tasks it starts see it, and so do their log lines.
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

    /**
     * How quotes are consumed: through a queue of {@code queueCapacity} quotes, each taking {@code perQuote} of
     * loop time to publish.
     *
     * @param queueCapacity how many quotes wait at most before the feed is slowed down; at least 1
     * @param perQuote how long publishing a quote takes; zero or more
     */
    public record Processing(int queueCapacity, Duration perQuote) {

        /** 16 quotes, published at once. */
        public static final Processing DEFAULT = new Processing(16, Duration.ZERO);

        /**
         * Checks the values.
         *
         * @throws NullPointerException if {@code perQuote} is {@code null}
         * @throws IllegalArgumentException if {@code queueCapacity} is less than 1 or {@code perQuote} negative
         */
        public Processing {
            Objects.requireNonNull(perQuote, "perQuote");
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be at least 1, but was " + queueCapacity);
            }
            if (perQuote.isNegative()) {
                throw new IllegalArgumentException("perQuote must not be negative, but was " + perQuote);
            }
        }
    }

    /** The request id of the message being handled, in the tasks that handle it; {@code "-"} elsewhere. */
    public static final ContextVar<String> REQUEST_ID = ContextVar.named("request-id", "-");

    /** A message taken in, with its request id. */
    private record Received(Quote quote, String requestId) {}

    private static final CompletionStage<Void> TAKEN = CompletableFuture.completedFuture(null);

    /** How long {@link #close()} waits for the other side to answer its goodbye. */
    private static final Duration CLOSING_TIME = Duration.ofSeconds(5);

    private final EventLoop loop;
    private final PriceFeed feed;
    private final Backoff backoff;
    private final Processing processing;
    private final LoopQueue<Received> quotes;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final AtomicInteger readerWaits = new AtomicInteger();
    private final List<Task<Void>> readers = new ArrayList<>(); // those still waiting for room; loop only
    private int attempt; // connects tried so far, the current one included; loop only
    private int sequence; // messages of the current connection; loop only
    private Task<Void> consumer; // set once by start(), on the loop
    private final Map<String, BigDecimal> latest = new ConcurrentHashMap<>();
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicInteger messages = new AtomicInteger();
    private final AtomicReference<Exception> lastFailure = new AtomicReference<>();
    private Task<Void> task; // set once by start(), on the loop
    private PriceFeed.Connection connection; // the open one, if any; only touched on the loop
    private boolean closed;

    private PriceTicker(EventLoop loop, PriceFeed feed, Backoff backoff, Processing processing) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.feed = Objects.requireNonNull(feed, "feed");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.processing = Objects.requireNonNull(processing, "processing");
        this.quotes = new LoopQueue<Received>(processing.queueCapacity()).withName("prices");
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
        return start(loop, feed, backoff, Processing.DEFAULT);
    }

    /**
     * Starts a ticker that consumes quotes as {@code processing} says. Call on the loop's thread, or while the
     * loop is not running.
     *
     * @param loop the loop; not {@code null}
     * @param feed where the prices come from; not {@code null}
     * @param backoff the waits between connects; not {@code null}
     * @param processing the queue's capacity and the time each quote takes; not {@code null}
     * @return the ticker; close it with {@link #close()}
     * @throws NullPointerException if an argument is {@code null}
     */
    public static PriceTicker start(EventLoop loop, PriceFeed feed, Backoff backoff, Processing processing) {
        PriceTicker ticker = new PriceTicker(loop, feed, backoff, processing);
        ticker.task = loop.createTask(ticker::run);
        ticker.task.setName("price-ticker");
        ticker.consumer = loop.createTask(ticker::consume);
        ticker.consumer.setName("price-consumer");
        return ticker;
    }

    /** The task's body: connect, read until the connection ends, wait, again; until cancelled. */
    private Void run() {
        Duration wait = backoff.first();
        while (true) {
            try {
                attempt++;
                sequence = 0;
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

    /**
     * Runs on the loop; a message that does not parse fails this callback, so the loop's handler reports it. The
     * stage it returns completes once the quote is in the queue: at once if there is room, else when a {@code
     * price-reader} task has waited for some.
     */
    private CompletionStage<?> onMessage(String message) {
        Received received = new Received(Quote.parse(message), "conn-" + attempt + "/" + ++sequence);
        messages.incrementAndGet();
        if (!quotes.full()) {
            quotes.putNowait(received);
            return TAKEN;
        }
        readerWaits.incrementAndGet();
        Task<Void> reader = loop.createTask(() -> read(received));
        reader.setName("price-reader");
        readers.add(reader);
        return reader;
    }

    /** Waits for room in the queue; ends quietly if the ticker closes meanwhile. */
    private Void read(Received received) {
        REQUEST_ID.set(received.requestId()); // this task's own context: nobody else sees it
        log("queue full (" + quotes.qsize() + " quotes), the feed waits");
        try {
            quotes.put(received);
        } catch (QueueShutDownException closing) {
            log("dropped: the ticker closed");
        } finally {
            readers.remove(Async.currentTask());
        }
        return null;
    }

    /** The consumer's body: takes each quote and publishes it under its request id, until the queue shuts. */
    private Void consume() {
        while (true) {
            Received next;
            try {
                next = quotes.get();
            } catch (QueueShutDownException closing) {
                return null;
            }
            ContextVar.Token<String> token = REQUEST_ID.set(next.requestId());
            try {
                Async.await(Async.createTask(() -> publish(next.quote()))); // the task runs in a copy: it sees the id
            } finally {
                REQUEST_ID.reset(token);
                quotes.taskDone();
            }
        }
    }

    private Void publish(Quote quote) {
        Async.sleep(processing.perQuote());
        latest.put(quote.symbol(), quote.price());
        log("published " + quote.symbol() + " " + quote.price());
        return null;
    }

    private void log(String line) {
        log.add("[" + REQUEST_ID.get() + "] " + line);
    }

    /**
     * The log lines so far, each with the request id of the message it is about: {@code [conn-1/3] published
     * ACME 101.50}. Safe from any thread.
     *
     * @return a copy
     */
    public List<String> log() {
        return List.copyOf(log);
    }

    /**
     * How many messages found the queue full, so that the feed had to wait. Safe from any thread.
     *
     * @return the count
     */
    public int readerWaits() {
        return readerWaits.get();
    }

    /**
     * The latest price of a symbol, as published by the consumer. Safe from any thread.
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
     * How many price messages arrived (published or not yet). Safe from any thread.
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
     * Stops the ticker: cancels its task (and with it a pending reconnect) and its consumer, shuts the queue down
     * (dropping the quotes not published), closes the open connection (waiting up to 5 s for the other side to
     * answer, then cutting it), and waits until its tasks have ended. Must be called inside a coroutine on the
     * ticker's loop, since it waits. Idempotent.
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
        consumer.cancel("the price ticker was closed");
        quotes.shutdown(true); // waiting readers end
        PriceFeed.Connection open = connection;
        if (open != null) {
            closeGracefully(open);
        }
        List<Task<Void>> ending = new ArrayList<>(readers);
        ending.add(task);
        ending.add(consumer);
        for (Task<Void> each : ending) {
            awaitEnd(each);
        }
    }

    private static void awaitEnd(Task<Void> task) {
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
