package dev.loopharness.awaitility;

import static dev.loopharness.testing.EngineRuns.failureOf;
import static dev.loopharness.testing.EngineRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.junit.ClockMode;
import dev.loopharness.junit.WithEventLoop;
import dev.loopharness.mockito.LoopMockito;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.mockito.exceptions.verification.WantedButNotInvoked;

/**
 * The loop-time poll that {@code LoopAwaitility} and {@code LoopMockito.timeout} share, on a virtual clock, where
 * a poll with nothing else due before it moves the clock without a hand-off: every poll still happens at its own
 * instant of loop time, work due between polls still runs in its order, and a timeout fails as before.
 */
class LoopPollingEngineTest {

    private static final long MS = 1_000_000L;

    /** Loop time since {@code start}, in whole milliseconds. */
    static long millisSince(EventLoop loop, long start) {
        return (loop.time() - start) / MS;
    }

    // ---- a condition that reads the clock sees every poll instant ---------------------------------------------

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class ReadsTheClock {
        static final List<Long> polledAt = new ArrayList<>();
        static long waited;

        @Test
        void untilTwelveSecondsAndABitHavePassed(EventLoop loop) {
            polledAt.clear();
            long start = loop.time();
            LoopAwaitility.await().atMost(Duration.ofMinutes(1)).until(() -> {
                polledAt.add(millisSince(loop, start));
                return loop.time() - start >= 12_345 * MS;
            });
            waited = loop.time() - start;
        }
    }

    @Test
    void aConditionThatReadsTheClockIsMetAtTheFirstPollInstantAfterItBecomesTrue() {
        run(ReadsTheClock.class).assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(ReadsTheClock.waited).isEqualTo(12_400 * MS);
        List<Long> expected = new ArrayList<>();
        for (long at = 100; at <= 12_400; at += 100) {
            expected.add(at);
        }
        assertThat(ReadsTheClock.polledAt).isEqualTo(expected);
    }

    // ---- work due between polls runs in order ----------------------------------------------------------------

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class WorkBetweenPolls {
        static final List<String> events = new ArrayList<>();

        @Test
        void timersATaskAndCallbacksRunBetweenThePolls(EventLoop loop) {
            events.clear();
            long start = loop.time();
            loop.callLater(Duration.ofMillis(250), () -> events.add("timer@" + millisSince(loop, start)));
            loop.callLater(Duration.ofMillis(400), () -> events.add("timer@" + millisSince(loop, start)));
            loop.createTask(() -> {
                Async.sleep(Duration.ofMillis(330));
                events.add("task@" + millisSince(loop, start));
                return null;
            });
            LoopAwaitility.await().atMost(Duration.ofSeconds(1)).until(() -> {
                long now = millisSince(loop, start);
                events.add("poll@" + now);
                if (now == 200) {
                    loop.callSoon(() -> events.add("soon@" + millisSince(loop, start)));
                }
                return now >= 500;
            });
        }
    }

    @Test
    void timersTasksAndCallbacksDueBetweenPollsRunInTheirOrder() {
        run(WorkBetweenPolls.class).assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(WorkBetweenPolls.events)
                .containsExactly(
                        "poll@100",
                        "poll@200",
                        "soon@200",
                        "timer@250",
                        "poll@300",
                        "task@330",
                        "timer@400",
                        "poll@400",
                        "poll@500");
    }

    // ---- declared work in flight holds the clock between polls -----------------------------------------------

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class WorkInFlight {
        static long metAt;

        @Test
        void aPollWaitsForTheWorkBeforeTimeMoves(EventLoop loop) {
            long start = loop.time();
            CountDownLatch release = new CountDownLatch(1);
            var work = loop.runInExecutor(null, () -> release.await(30, TimeUnit.SECONDS));
            LoopAwaitility.await()
                    .pollDelay(Duration.ZERO)
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> {
                        release.countDown();
                        return work.isDone();
                    });
            metAt = millisSince(loop, start);
        }
    }

    @Test
    void declaredWorkInFlightHoldsTheClockUntilItSettles() {
        run(WorkInFlight.class).assertStatistics(stats -> stats.started(1).succeeded(1));
        // released at the first poll (0 ms); time moves to the next poll only once the work has settled
        assertThat(WorkInFlight.metAt).isEqualTo(100);
    }

    // ---- a timeout fails as before ---------------------------------------------------------------------------

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class NeverTrueForAnHour {
        static long waited;

        @Test
        void neverTrue(EventLoop loop) {
            long start = loop.time();
            try {
                LoopAwaitility.await("quotes").atMost(Duration.ofHours(1)).until(() -> false);
            } finally {
                waited = loop.time() - start;
            }
        }
    }

    @Test
    void anHourLongAwaitilityTimeoutFailsAtTheHourWithAwaitilitysMessage() {
        assertThat(failureOf(run(NeverTrueForAnHour.class)))
                .isExactlyInstanceOf(ConditionTimeoutException.class)
                .hasMessage("Condition with alias 'quotes' didn't complete within 60 minutes of virtual time because"
                        + " condition with Lambda expression in " + NeverTrueForAnHour.class.getName()
                        + " was not fulfilled.");
        assertThat(NeverTrueForAnHour.waited).isEqualTo(Duration.ofHours(1).toNanos());
    }

    /** Where the code under test publishes. */
    interface Ticker {
        void publish(String line);
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class NeverCalledForTenSeconds {
        static long waited;

        @Test
        void neverCalled(EventLoop loop) {
            Ticker ticker = mock(Ticker.class);
            long start = loop.time();
            try {
                verify(ticker, LoopMockito.timeout(Duration.ofSeconds(10))).publish("late");
            } finally {
                waited = loop.time() - start;
            }
        }
    }

    @Test
    void aTenSecondMockitoTimeoutFailsAtTheDeadlineWithMockitosFailure() {
        assertThat(failureOf(run(NeverCalledForTenSeconds.class)))
                .isExactlyInstanceOf(WantedButNotInvoked.class)
                .hasMessageContaining("Wanted but not invoked:\nticker.publish(\"late\");")
                .hasMessageContaining("Actually, there were zero interactions with this mock.");
        assertThat(NeverCalledForTenSeconds.waited)
                .isEqualTo(Duration.ofSeconds(10).toNanos());
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class CalledBetweenPolls {
        static long waited;

        @Test
        void calledAfterTenSecondsAndAMillisecond(EventLoop loop) {
            Ticker ticker = mock(Ticker.class);
            loop.callLater(Duration.ofSeconds(10).plusMillis(1), () -> ticker.publish("tick"));
            long start = loop.time();
            verify(ticker, LoopMockito.timeout(Duration.ofSeconds(20))).publish("tick");
            waited = loop.time() - start;
        }
    }

    @Test
    void aMockitoVerificationPassesAtThePollAfterTheCall() {
        run(CalledBetweenPolls.class).assertStatistics(stats -> stats.started(1).succeeded(1));
        // polls every 10 ms of loop time: the call at 10 s + 1 ms is seen at 10 s + 10 ms
        assertThat(CalledBetweenPolls.waited)
                .isEqualTo(Duration.ofSeconds(10).plusMillis(10).toNanos());
    }
}
