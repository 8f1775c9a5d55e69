package dev.loopharness.samples.reproductions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.EventLoopClosedException;
import dev.loopharness.samples.report.Fixtures;
import dev.loopharness.samples.report.Outcome;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

class SuiteSharingTheDefaultLoopTest {

    @Test
    void anInnocentLaterTestFailsBecauseATearDownClosedTheDefaultLoop() {
        Events events = Fixtures.run(SuiteSharingTheDefaultLoop.SharesTheDefaultLoop.class);

        Map<String, Throwable> failures = Fixtures.failures(events);
        assertThat(failures).containsOnlyKeys("readsPrices()");
        assertThat(failures.get("readsPrices()"))
                .isInstanceOf(EventLoopClosedException.class)
                .hasMessageStartingWith("Event loop is closed: EventLoop-")
                .hasMessageContaining(
                        " was closed at " + SuiteSharingTheDefaultLoop.SharesTheDefaultLoop.class.getName()
                                + ".tearDown(SuiteSharingTheDefaultLoop.java:");
    }

    @Test
    void withALoopPerTestBothPass() {
        Fixtures.run(SuiteSharingTheDefaultLoop.LoopPerTest.class)
                .assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
    }

    @Test
    void withTheBodiesUnchangedOnTheTestThreadBothPass() {
        Fixtures.run(SuiteSharingTheDefaultLoop.BodiesUnchangedOnTheTestThread.class)
                .assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
    }

    @Test
    void onASharedLoopTheCulpritItselfFails() {
        SuiteSharingTheDefaultLoop.SharedLoopGuarded.reset();
        Events events = Fixtures.run(SuiteSharingTheDefaultLoop.SharedLoopGuarded.class);

        Map<String, Throwable> failures = Fixtures.failures(events);
        assertThat(failures).containsOnlyKeys("warmsTheCache()");
        assertThat(failures.get("warmsTheCache()"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Cannot close <EventLoop-")
                .hasMessageContaining("it is owned by @WithEventLoop(scope = SHARED)");
    }

    @Test
    void theOutcomeSaysItBehavedAsDocumented() {
        Outcome outcome = new SuiteSharingTheDefaultLoop().run();
        assertThat(outcome.behavedAsDocumented()).isTrue();
        assertThat(outcome.failure().exception()).isInstanceOf(EventLoopClosedException.class);
    }
}
