package dev.loopharness.samples.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.EventLoops;
import dev.loopharness.LoopFuture;
import dev.loopharness.awaitility.LoopAwaitility;
import dev.loopharness.junit.ClockMode;
import dev.loopharness.junit.WithEventLoop;
import dev.loopharness.mockito.LoopAnswers;
import dev.loopharness.mockito.LoopMockito;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.mockito.invocation.InvocationOnMock;

/** The ticker against a mocked feed, in virtual time: hours of backoff take milliseconds. */
@WithEventLoop(clock = ClockMode.VIRTUAL)
class PriceTickerTest {

    private static final PriceTicker.Backoff ONE_TO_EIGHT_SECONDS =
            new PriceTicker.Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8));

    private final PriceFeed feed = mock(PriceFeed.class);
    private final List<Long> attempts = new ArrayList<>(); // milliseconds of loop time since the test began

    /** What the feed answers to its n-th connect (from 1); the loop time of each connect is recorded. */
    private interface Script {
        CompletionStage<PriceFeed.Connection> answer(int attempt, PriceFeed.Receiver onMessage);
    }

    private void script(EventLoop loop, Script script) {
        long start = loop.time();
        when(feed.connect(any())).thenAnswer((InvocationOnMock call) -> {
            attempts.add(Duration.ofNanos(loop.time() - start).toMillis());
            PriceFeed.Receiver onMessage = call.getArgument(0);
            return script.answer(attempts.size(), onMessage);
        });
    }

    private static LoopFuture<PriceFeed.Connection> refused(EventLoop loop, int attempt) {
        LoopFuture<PriceFeed.Connection> future = loop.createFuture();
        future.setException(new ConnectException("Connection refused (attempt " + attempt + ")"));
        return future;
    }

    private static LoopFuture<PriceFeed.Connection> open(EventLoop loop, PriceFeed.Connection connection) {
        LoopFuture<PriceFeed.Connection> future = loop.createFuture();
        future.setResult(connection);
        return future;
    }

    /** A mocked connection that ends when {@code ended} completes, and whose server answers a close at once. */
    private static PriceFeed.Connection connection(LoopFuture<Void> ended) {
        PriceFeed.Connection connection = mock(PriceFeed.Connection.class);
        when(connection.closed()).thenReturn(ended);
        when(connection.close()).thenReturn(CompletableFuture.completedFuture(null));
        return connection;
    }

    @Test
    void waitsDoubleAfterEachFailureUpToTheCapAndStartOverAfterASuccessfulConnect(EventLoop loop) {
        LoopFuture<Void> firstEnds = loop.createFuture();
        PriceFeed.Connection first = connection(firstEnds);
        PriceFeed.Connection second = connection(loop.createFuture()); // stays open
        script(loop, (attempt, onMessage) -> {
            if (attempt == 6) {
                loop.callLater(Duration.ofSeconds(2), () -> firstEnds.setResult(null)); // the server drops it
                return open(loop, first);
            }
            return attempt == 8 ? open(loop, second) : refused(loop, attempt);
        });

        try (PriceTicker ticker = PriceTicker.start(loop, feed, ONE_TO_EIGHT_SECONDS)) {
            Async.sleep(Duration.ofSeconds(60));

            // waits 1, 2, 4, 8, 8 (the cap); connected at 23 s, dropped at 25 s; waits 1 (reset), 2; connected
            assertThat(attempts).containsExactly(0L, 1_000L, 3_000L, 7_000L, 15_000L, 23_000L, 26_000L, 28_000L);
            assertThat(ticker.connects()).isEqualTo(2);
            assertThat(ticker.lastFailure())
                    .get()
                    .isInstanceOf(ConnectException.class)
                    .extracting(Throwable::getMessage)
                    .isEqualTo("Connection refused (attempt 7)");
            verify(second, never()).close();
        }
        verify(second).close(); // closing the ticker closed the open connection
        verify(second, never()).abort(); // it answered, so it need not be cut
        verify(first, never()).close(); // the server had closed that one
    }

    @Test
    void aSlowHandshakeDelaysTheFirstPriceByItsLength(EventLoop loop) {
        PriceFeed.Connection connection = connection(loop.createFuture()); // stays open
        // the server takes 3 s to accept, then sends a price a second later
        when(feed.connect(any())).thenAnswer(LoopAnswers.answerAfter(Duration.ofSeconds(3), call -> {
            PriceFeed.Receiver onMessage = call.getArgument(0);
            loop.callLater(Duration.ofSeconds(1), () -> onMessage.receive("ACME 101.50"));
            return connection;
        }));
        long start = loop.time();

        try (PriceTicker ticker = PriceTicker.start(loop, feed, ONE_TO_EIGHT_SECONDS)) {
            verify(feed, LoopMockito.timeout(Duration.ofMillis(100))).connect(any()); // it dials at once
            LoopAwaitility.await("the first price")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> ticker.latest("ACME"), Optional::isPresent);

            assertThat(Duration.ofNanos(loop.time() - start))
                    .isBetween(Duration.ofSeconds(4), Duration.ofMillis(4_100));
            assertThat(ticker.connects()).isEqualTo(1);
        }
    }

    @Test
    void keepsTheLatestPriceOfEachSymbol(EventLoop loop) {
        script(loop, (attempt, onMessage) -> {
            for (String message : List.of("ACME 101.50", "GLOBEX 47.25", "ACME 102.00")) {
                loop.callSoon(() -> onMessage.receive(message));
            }
            return open(loop, connection(loop.createFuture()));
        });

        try (PriceTicker ticker = PriceTicker.start(loop, feed, ONE_TO_EIGHT_SECONDS)) {
            Async.sleep(Duration.ofSeconds(1));

            assertThat(ticker.prices())
                    .isEqualTo(Map.of("ACME", new BigDecimal("102.00"), "GLOBEX", new BigDecimal("47.25")));
            assertThat(ticker.latest("ACME")).contains(new BigDecimal("102.00"));
            assertThat(ticker.latest("INITECH")).isEmpty();
            assertThat(ticker.messages()).isEqualTo(3);
            assertThat(ticker.lastFailure()).isEmpty();
        }
    }

    @Test
    void aSlowConsumerMakesTheFeedWaitForRoomInTheQueue(EventLoop loop) {
        long start = loop.time();
        List<Long> taken = new ArrayList<>(); // when each message was taken in, in seconds of loop time
        script(loop, (attempt, onMessage) -> {
            loop.createTask(
                    () -> { // a feed that reads the next message only once the last one was taken in
                        for (int i = 1; i <= 12; i++) {
                            Async.await(onMessage.receive("ACME " + (100 + i)));
                            taken.add(Duration.ofNanos(loop.time() - start).toSeconds());
                        }
                        return null;
                    });
            return open(loop, connection(loop.createFuture()));
        });
        PriceTicker.Processing slow = new PriceTicker.Processing(4, Duration.ofSeconds(1));

        try (PriceTicker ticker = PriceTicker.start(loop, feed, ONE_TO_EIGHT_SECONDS, slow)) {
            Async.sleep(Duration.ofSeconds(30));

            // 4 queued and 1 taken by the consumer at once; then one more each second, as the consumer makes room
            assertThat(taken).containsExactly(0L, 0L, 0L, 0L, 0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
            assertThat(ticker.readerWaits()).isEqualTo(7);
            assertThat(ticker.latest("ACME")).contains(new BigDecimal("112"));
            assertThat(ticker.log())
                    .startsWith(
                            "[conn-1/6] queue full (4 quotes), the feed waits",
                            "[conn-1/1] published ACME 101",
                            "[conn-1/7] queue full (4 quotes), the feed waits",
                            "[conn-1/2] published ACME 102")
                    .endsWith("[conn-1/12] published ACME 112");
            assertThat(PriceTicker.REQUEST_ID.get()).isEqualTo("-"); // the ids stayed in the ticker's tasks
        }
    }

    @Test
    void processingNamesTheArgumentItRefuses() {
        assertThatThrownBy(() -> new PriceTicker.Processing(0, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("queueCapacity must be at least 1, but was 0");
        assertThatThrownBy(() -> new PriceTicker.Processing(1, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("perQuote must not be negative, but was PT-1S");
    }

    @Test
    void closingCancelsThePendingReconnect(EventLoop loop) {
        script(loop, (attempt, onMessage) -> refused(loop, attempt));
        PriceTicker ticker = PriceTicker.start(loop, feed, ONE_TO_EIGHT_SECONDS);
        Async.sleep(Duration.ofMillis(2_500)); // attempts at 0 and 1 s; the next one is due at 3 s

        ticker.close();
        ticker.close(); // idempotent
        Async.sleep(Duration.ofHours(1));

        assertThat(attempts).containsExactly(0L, 1_000L);
        verify(feed, times(2)).connect(any());
        assertThat(loop.allTasks()).extracting(task -> task.getName()).doesNotContain("price-ticker");
        // and the harness's leak check (leaks = FAIL) finds no task or timer left behind
    }

    @Test
    void closingWaitsFiveSecondsForAServerThatDoesNotAnswerAndThenCutsTheConnection(EventLoop loop) {
        PriceFeed.Connection silent = mock(PriceFeed.Connection.class);
        when(silent.closed()).thenReturn(loop.createFuture());
        when(silent.close()).thenReturn(loop.createFuture()); // never answered
        script(loop, (attempt, onMessage) -> open(loop, silent));
        PriceTicker ticker = PriceTicker.start(loop, feed, ONE_TO_EIGHT_SECONDS);
        Async.sleep(Duration.ofSeconds(1));
        long closing = loop.time();

        ticker.close();

        assertThat(Duration.ofNanos(loop.time() - closing)).isEqualTo(Duration.ofSeconds(5));
        verify(silent).abort();
        assertThat(ticker.lastFailure()).get().isInstanceOf(TimeoutException.class);
        assertThat(attempts).containsExactly(0L);
    }

    @Test
    void closeOutsideACoroutineIsRefusedAndSaysWhere() throws Exception {
        try (EventLoop other = EventLoops.newEventLoop()) {
            PriceTicker ticker = PriceTicker.start(other, feed, ONE_TO_EIGHT_SECONDS);

            Exception refused = Async.await(Async.loop().runInExecutor(null, () -> {
                try {
                    ticker.close();
                    return null;
                } catch (IllegalStateException expected) {
                    return expected;
                }
            }));

            assertThat(refused)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("PriceTicker.close() waits for the ticker's task, so it must be called"
                            + " inside a coroutine on <EventLoop-")
                    .hasMessageEndingWith(", such as loop.runUntilComplete(() -> { ticker.close(); return null; })");
            verify(feed, never()).connect(any());
        }
    }

    @Test
    void aBackoffNamesTheArgumentItRefuses() {
        assertThatThrownBy(() -> new PriceTicker.Backoff(Duration.ZERO, Duration.ofSeconds(8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("first must be a positive duration, but was PT0S");
        assertThatThrownBy(() -> new PriceTicker.Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("max must be at least first (PT2S), but was PT1S");
        assertThatThrownBy(() -> new PriceTicker.Backoff(null, Duration.ofSeconds(1)))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("first");
        assertThat(ONE_TO_EIGHT_SECONDS.after(Duration.ofSeconds(4))).isEqualTo(Duration.ofSeconds(8));
        assertThat(ONE_TO_EIGHT_SECONDS.after(Duration.ofSeconds(8))).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void aQuoteIsASymbolAndAPrice() {
        assertThat(PriceTicker.Quote.parse("BRK.B 412.07"))
                .isEqualTo(new PriceTicker.Quote("BRK.B", new BigDecimal("412.07")));
        for (String bad : new String[] {"ACME", "ACME  101.50", "acme 101.50", "ACME -1", "ACME 1e3", ""}) {
            assertThatThrownBy(() -> PriceTicker.Quote.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(
                            "message must be a symbol and a price, such as \"ACME 101.50\", but was \"" + bad + "\"");
        }
    }
}
