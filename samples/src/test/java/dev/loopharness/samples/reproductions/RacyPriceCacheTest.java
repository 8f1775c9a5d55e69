package dev.loopharness.samples.reproductions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.junit.ExploredScheduleError;
import dev.loopharness.samples.report.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

class RacyPriceCacheTest {

    @Test
    void aPlainRunPassesExplorationFindsTheRaceItsSeedReplaysItAndTheFixPasses() {
        assertThat(RacyPriceCache.run(RacyPriceCache.PlainTest.class, null)
                        .succeeded()
                        .count())
                .isEqualTo(1);

        List<Throwable> found =
                new ArrayList<>(Fixtures.failures(RacyPriceCache.run(RacyPriceCache.ExploredTest.class, null))
                        .values());
        assertThat(found).hasSize(2);
        assertThat(found.get(0))
                .isInstanceOf(ExploredScheduleError.class)
                .hasMessageContaining("the exchange was asked 2 times for BTC-USD, expected once")
                .hasMessageContaining("timer of task 'first reader' due at 0.020 s");
        assertThat(found.get(1))
                .hasMessageContaining("still fails with 1 of its")
                .hasMessageContaining("#0 timer of task 'first reader' due at 0.020 s")
                .hasMessageContaining("ms late, after timer of task 'second reader' due at 0.022 s");

        String seed = RacyPriceCache.seedOf(found.get(0));
        Events replayed = RacyPriceCache.run(RacyPriceCache.ExploredTest.class, seed);
        assertThat(Fixtures.failures(replayed).values())
                .first()
                .satisfies(replay -> assertThat(replay.getMessage())
                        .startsWith("Run 1 of 1 of an explored schedule failed (strategy UNIFORM, seed " + seed + ")"));

        Events fixed = RacyPriceCache.run(RacyPriceCache.FixedTest.class, null);
        assertThat(fixed.succeeded().count()).isEqualTo(100);
        assertThat(fixed.failed().count()).isZero();
    }

    @Test
    void theReproductionBehavesAsDocumented() {
        assertThat(new RacyPriceCache().run().behavedAsDocumented()).isTrue();
    }
}
