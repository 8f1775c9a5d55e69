package dev.loopharness.samples.reproductions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.junit.LeakedWorkError;
import dev.loopharness.samples.report.Fixtures;
import dev.loopharness.samples.report.Outcome;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

class LeakedTaskOnASharedLoopTest {

    @Test
    void underLeaksWarnTheLeakedTaskBreaksTheInnocentNextTest() {
        Events events = LeakedTaskOnASharedLoop.run(LeakedTaskOnASharedLoop.WarnsOnLeaks.class);

        Map<String, Throwable> failures = Fixtures.failures(events);
        assertThat(failures).containsOnlyKeys("readsAPrice()");
        assertThat(failures.get("readsAPrice()"))
                .isExactlyInstanceOf(AssertionError.class)
                .hasMessage("expected the price of ACME to be 101.50, but the cache held null");
    }

    @Test
    void underTheDefaultLeaksFailTheCulpritFailsNamingTheTaskAndTheNextTestPasses() {
        Events events = LeakedTaskOnASharedLoop.run(LeakedTaskOnASharedLoop.FailsOnLeaks.class);

        Map<String, Throwable> failures = Fixtures.failures(events);
        assertThat(failures).containsOnlyKeys("startsTheRefresher()");
        assertThat(failures.get("startsTheRefresher()"))
                .isInstanceOf(LeakedWorkError.class)
                .hasMessageStartingWith("Test \"FailsOnLeaks.startsTheRefresher()\" left work pending on its event"
                        + " loop: 1 task and 1 timer.")
                .hasMessageContaining("task 'cache-refresher' created at "
                        + LeakedTaskOnASharedLoop.PriceCache.class.getName()
                        + ".startRefresher(LeakedTaskOnASharedLoop.java:");
        events.assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
    }

    @Test
    void aPeriodicJobReArmedAfterItsFirstRunFailsTheTestThatStartedIt() {
        Events events = LeakedTaskOnASharedLoop.run(LeakedTaskOnASharedLoop.FailsOnPeriodicLeaks.class);

        Map<String, Throwable> failures = Fixtures.failures(events);
        assertThat(failures).containsOnlyKeys("startsThePeriodicRefresher(ScheduledExecutorService)");
        assertThat(failures.get("startsThePeriodicRefresher(ScheduledExecutorService)"))
                .isInstanceOf(LeakedWorkError.class)
                .hasMessageStartingWith("Test \"FailsOnPeriodicLeaks.startsThePeriodicRefresher()\" left work pending"
                        + " on its event loop: 0 tasks and 1 timer.")
                .hasMessageContaining("every PT1S at a fixed rate")
                .hasMessageContaining("armed while running work created at "
                        + LeakedTaskOnASharedLoop.PriceCache.class.getName()
                        + ".startPeriodicRefresher(LeakedTaskOnASharedLoop.java:");
        events.assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
    }

    @Test
    void underLeaksCancelBothPass() {
        LeakedTaskOnASharedLoop.run(LeakedTaskOnASharedLoop.CancelsLeaks.class)
                .assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
    }

    @Test
    void theOutcomeSaysItBehavedAsDocumented() {
        Outcome outcome = new LeakedTaskOnASharedLoop().run();
        assertThat(outcome.behavedAsDocumented()).isTrue();
        assertThat(outcome.failures()).hasSize(2);
        assertThat(outcome.failures().get(1).exception()).isInstanceOf(LeakedWorkError.class);
    }
}
