package dev.loopharness.awaitility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import dev.loopharness.EventLoop;
import dev.loopharness.junit.ClockMode;
import dev.loopharness.junit.LoopScope;
import dev.loopharness.junit.WithEventLoop;
import dev.loopharness.mockito.LoopMockito;
import java.time.Duration;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.mockito.exceptions.verification.WantedButNotInvoked;

/**
 * The library's own waits are never reported as slow steps (issue #15, part 3), on either clock, while a user's
 * callback that blocks the loop during such a wait still is. Debug mode, with its 100 ms slow-step threshold, is
 * on under {@code @WithEventLoop} by default.
 */
class LibraryWaitWarningsEngineTest {

    /** Where the code under test publishes. */
    interface Ticker {
        void publish(String line);
    }

    /** Waits that run out of time, long in loop time; each test passes when its wait fails as it should. */
    static class LongWaits {
        @Test
        void awaitilityUntilItGivesUp() {
            assertThatThrownBy(() ->
                            LoopAwaitility.await().atMost(awaitilityAtMost()).until(() -> false))
                    .isExactlyInstanceOf(ConditionTimeoutException.class);
        }

        @Test
        void mockitoUntilItGivesUp() {
            Ticker ticker = mock(Ticker.class);
            assertThatThrownBy(() ->
                            verify(ticker, LoopMockito.timeout(mockitoAtMost())).publish("never"))
                    .isExactlyInstanceOf(WantedButNotInvoked.class);
        }

        Duration awaitilityAtMost() {
            return Duration.ofMinutes(10);
        }

        Duration mockitoAtMost() {
            return Duration.ofSeconds(6);
        }
    }

    /** Ten minutes of virtual time: 6,000 Awaitility polls; six seconds: 600 Mockito verifications. */
    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class LongWaitsInVirtualTime extends LongWaits {}

    /** The same waits on one loop for the class. */
    @WithEventLoop(clock = ClockMode.VIRTUAL, scope = LoopScope.CLASS)
    static class LongWaitsInVirtualTimeOnAClassLoop extends LongWaits {}

    /** Well over the slow-step threshold of real time. */
    @WithEventLoop(clock = ClockMode.REAL)
    static class LongWaitsInRealTime extends LongWaits {
        @Override
        Duration awaitilityAtMost() {
            return Duration.ofMillis(1500);
        }

        @Override
        Duration mockitoAtMost() {
            return Duration.ofMillis(1500);
        }
    }

    private static List<String> warnings(Events events) {
        return events.reportingEntryPublished()
                .map(event -> event.getRequiredPayload(ReportEntry.class))
                .map(entry -> entry.getKeyValuePairs().get("loopharness.warning"))
                .toList();
    }

    private static Events run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(DiscoverySelectors.selectClass(fixture))
                .execute()
                .testEvents();
    }

    @Test
    void aLongLibraryWaitLogsNoSlowStepWarning() {
        for (Class<?> fixture : new Class<?>[] {
            LongWaitsInVirtualTime.class, LongWaitsInVirtualTimeOnAClassLoop.class, LongWaitsInRealTime.class
        }) {
            Events events = run(fixture);
            events.assertStatistics(stats -> stats.started(2).succeeded(2));
            assertThat(warnings(events)).as(fixture.getSimpleName()).isEmpty();
        }
    }

    /** A timer callback that blocks the loop while the test body waits with LoopAwaitility. */
    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class SlowCallbackDuringAWait {
        @Test
        void waitsWhileACallbackBlocks(EventLoop loop) {
            boolean[] done = new boolean[1];
            loop.callLater(Duration.ofMinutes(5), SlowCallbackDuringAWait::blockTheLoop);
            loop.callLater(Duration.ofMinutes(6), () -> done[0] = true);
            LoopAwaitility.await().atMost(Duration.ofMinutes(10)).until(() -> done[0]);
        }

        static void blockTheLoop() {
            try {
                Thread.sleep(300); // over the 100 ms slow-step threshold of debug mode, whatever the machine
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void aUsersSlowCallbackDuringALibraryWaitStillWarns() {
        Events events = run(SlowCallbackDuringAWait.class);
        events.assertStatistics(stats -> stats.started(1).succeeded(1));
        List<String> warnings = warnings(events);
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0))
                .startsWith("Executing <TimerHandle")
                .contains(SlowCallbackDuringAWait.class.getSimpleName())
                .contains(" took ")
                .doesNotContain("waitFor")
                .doesNotContain("LoopPolling");
    }
}
