package dev.loopharness.samples.reproductions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.junit.LoopTimeoutError;
import dev.loopharness.samples.examples.PriceTickerInVirtualTime;
import dev.loopharness.samples.report.Fixtures;
import dev.loopharness.samples.report.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpServiceOnTheLoopTest {

    @Test
    void aBlockingSendOnTheLoopHangsUntilTheTimeoutInterruptsIt() {
        Map<String, Throwable> failures = Fixtures.failures(Fixtures.run(HttpServiceOnTheLoop.BlocksOnSend.class));

        assertThat(failures).containsOnlyKeys("fetchesAPrice(EventLoop)");
        assertThat(failures.get("fetchesAPrice(EventLoop)"))
                .isInstanceOf(LoopTimeoutError.class)
                .hasMessageStartingWith(
                        "Test \"BlocksOnSend.fetchesAPrice()\" did not complete within PT0.3S of real time")
                .hasMessageContaining("its coroutine blocked the event loop at "
                        + HttpServiceOnTheLoop.PriceClient.class.getName()
                        + ".getBlocking(HttpServiceOnTheLoop.java:");
    }

    @Test
    void awaitingSendAsyncFetchesThePricesAndTheSlowEndpoint() {
        List<String> lines = HttpServiceOnTheLoop.fetchAll();

        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .contains("{\"symbol\": \"ACME\", \"price\": 101.50}")
                .contains("{\"symbol\": \"GLOBEX\", \"price\": 47.25}")
                .contains("{\"symbol\": \"INITECH\", \"price\": 12.00}");
        assertThat(lines.get(1)).contains("{\"status\": \"done\"}");
    }

    @Test
    void underWithEventLoopTheFixPasses() {
        Fixtures.run(HttpServiceOnTheLoop.AwaitsSendAsync.class)
                .assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
    }

    @Test
    void theReportShowsTheTickersBackoffInVirtualTime() {
        PriceTickerInVirtualTime.Run run = PriceTickerInVirtualTime.run();

        assertThat(run.attemptMillis()).containsExactly(0L, 1_000L, 3_000L, 7_000L, 15_000L, 23_000L, 26_000L, 28_000L);
        assertThat(run.connects()).isEqualTo(2);
        assertThat(run.loopMillis()).isEqualTo(30_000L);
        assertThat(run.describe())
                .contains("connects attempted at 0 s, 1 s, 3 s, 7 s, 15 s, 23 s, 26 s, 28 s; 2 succeeded;"
                        + " 30 s of loop time in ");
    }

    @Test
    void theOutcomeSaysItBehavedAsDocumented() {
        Outcome outcome = new HttpServiceOnTheLoop().run();
        assertThat(outcome.behavedAsDocumented()).isTrue();
        assertThat(outcome.failure().exception()).isInstanceOf(LoopTimeoutError.class);
    }
}
