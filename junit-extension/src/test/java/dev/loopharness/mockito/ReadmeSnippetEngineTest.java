package dev.loopharness.mockito;

import static dev.loopharness.testing.EngineRuns.failureOf;
import static dev.loopharness.testing.EngineRuns.run;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.startsWith;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.loopharness.Async;
import dev.loopharness.awaitility.LoopAwaitility;
import dev.loopharness.junit.ClockMode;
import dev.loopharness.junit.LeakedWorkError;
import dev.loopharness.junit.WithEventLoop;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The README's Mockito snippet, as printed there, runs and passes; without its last line it leaks. */
class ReadmeSnippetEngineTest {

    interface PriceFeed {
        CompletableFuture<Double> price(String symbol);
    }

    interface QuoteBoard {
        void publish(String line);
    }

    static final class PriceClient {
        private final PriceFeed feed;
        private final QuoteBoard board;
        private final Duration patience;
        private final AtomicInteger published = new AtomicInteger();
        private ScheduledFuture<?> publishing;

        PriceClient(PriceFeed feed, QuoteBoard board, Duration patience) {
            this.feed = feed;
            this.board = board;
            this.patience = patience;
        }

        double priceOr(String symbol, double fallback) throws Exception {
            try {
                return Async.waitFor(() -> Async.await(feed.price(symbol)), patience);
            } catch (TimeoutException slow) {
                return fallback;
            }
        }

        void publishEvery(Duration period, ScheduledExecutorService scheduler) {
            publishing = scheduler.scheduleAtFixedRate(
                    () -> board.publish("ACME " + published.incrementAndGet()), 0, period.toMillis(), MILLISECONDS);
        }

        int published() {
            return published.get();
        }

        void stop() {
            publishing.cancel(false);
        }
    }

    static class Snippet {
        static boolean stop = true;

        @Test
        @WithEventLoop(clock = ClockMode.VIRTUAL)
        void fallsBackWhenTheFeedIsSlow(ScheduledExecutorService scheduler) throws Exception {
            PriceFeed feed = mock(PriceFeed.class);
            QuoteBoard board = mock(QuoteBoard.class);
            when(feed.price("ACME")).thenAnswer(LoopAnswers.completeAfter(Duration.ofSeconds(2), 101.5));
            PriceClient client = new PriceClient(feed, board, Duration.ofSeconds(1));

            assertThat(client.priceOr("ACME", -1)).isEqualTo(-1);

            client.publishEvery(Duration.ofSeconds(5), scheduler);
            LoopAwaitility.await().atMost(Duration.ofSeconds(10)).until(client::published, n -> n >= 1);
            verify(board, LoopMockito.timeout(Duration.ofSeconds(5)).times(2)).publish(startsWith("ACME"));
            if (stop) {
                client.stop();
            }
        }
    }

    @Test
    void theSnippetPassesAndWithoutStopItsPeriodicTaskIsALeak() {
        try {
            Snippet.stop = true;
            run(Snippet.class).assertStatistics(stats -> stats.succeeded(1).failed(0));
            Snippet.stop = false;
            assertThat(failureOf(run(Snippet.class)))
                    .isInstanceOf(LeakedWorkError.class)
                    .hasMessageStartingWith("Test \"Snippet.fallsBackWhenTheFeedIsSlow()\" left work pending on its"
                            + " event loop: 0 tasks and 1 timer.")
                    .hasMessageContaining("every PT5S at a fixed rate");
        } finally {
            Snippet.stop = true;
        }
    }
}
