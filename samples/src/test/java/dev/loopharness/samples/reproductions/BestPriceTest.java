package dev.loopharness.samples.reproductions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.TaskGroupException;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class BestPriceTest {

    @Test
    void withGatherTheFailureReachesTheCallerAloneAndTheOtherRequestsRunOn() {
        assertThat(BestPrice.gathered(BestPrice.ONE_FAILING))
                .containsExactly(
                        "kraken: failed at 0.3 s: 503 Service Unavailable",
                        "caller: Async.gather threw at 0.3 s: java.io.IOException: kraken answered 503 Service"
                                + " Unavailable",
                        "binance: answered 64210.50 at 1.2 s",
                        "coinbase: answered 64198.25 at 1.8 s");
    }

    @Test
    void inATaskGroupAFailureCancelsTheOtherRequestsAndTheErrorNamesEachExchange() {
        Object result = BestPrice.bestOnALoop(BestPrice.ONE_FAILING);

        assertThat(result).isInstanceOf(BestPrice.PriceUnavailableException.class);
        Exception failure = (Exception) result;
        assertThat(failure)
                .hasMessage("No price for BTC-USD at 0.3 s of loop time (deadline 2.0 s): 1 of 3 tasks in the"
                        + " task group failed: kraken: java.io.IOException: kraken answered 503 Service Unavailable\n"
                        + "kraken: failed at 0.3 s: 503 Service Unavailable\n"
                        + "binance: cancelled at 0.3 s (it would have answered at 1.2 s)\n"
                        + "coinbase: cancelled at 0.3 s (it would have answered at 1.8 s)")
                .hasCauseInstanceOf(TaskGroupException.class);
        assertThat(((TaskGroupException) failure.getCause()).exceptions())
                .singleElement()
                .isInstanceOf(IOException.class);
    }

    @Test
    void theDeadlineCancelsASlowExchange() {
        Object result = BestPrice.bestOnALoop(BestPrice.ONE_SLOW);

        assertThat(result).isInstanceOf(BestPrice.PriceUnavailableException.class);
        assertThat((Exception) result)
                .hasMessageStartingWith("No price for BTC-USD at 2.0 s of loop time (deadline 2.0 s): Async.timeout():")
                .hasMessageEndingWith("kraken: answered 64205.00 at 0.3 s\n"
                        + "binance: answered 64210.50 at 1.2 s\n"
                        + "coinbase: cancelled at 2.0 s (it would have answered at 4.0 s)")
                .hasCauseInstanceOf(TimeoutException.class);
    }

    @Test
    void whenAllAnswerInTimeTheLowestPriceWins() {
        Object result = BestPrice.bestOnALoop(java.util.List.of(
                BestPrice.ONE_SLOW.get(0),
                BestPrice.ONE_SLOW.get(1),
                new BestPrice.Exchange(
                        "coinbase", java.time.Duration.ofMillis(1800), new BigDecimal("64198.25"), null)));

        assertThat(result).isEqualTo(new BestPrice.Quote("coinbase", new BigDecimal("64198.25")));
        assertThat(new BestPrice().run().behavedAsDocumented()).isTrue();
    }
}
