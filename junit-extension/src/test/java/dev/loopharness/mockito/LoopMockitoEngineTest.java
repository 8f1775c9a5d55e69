package dev.loopharness.mockito;

import static dev.loopharness.testing.EngineRuns.failureOf;
import static dev.loopharness.testing.EngineRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import dev.loopharness.EventLoop;
import dev.loopharness.junit.ClockMode;
import dev.loopharness.junit.WithEventLoop;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.mockito.exceptions.verification.TooFewActualInvocations;
import org.mockito.exceptions.verification.WantedButNotInvoked;
import org.mockito.verification.VerificationMode;

/** {@code verify(mock, LoopMockito.timeout(...))}: Mockito's timeout, counted in loop time, through the engine. */
class LoopMockitoEngineTest {

    /** Where the code under test publishes what it does. */
    interface Ticker {
        void publish(String line);
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class VerifiesInLoopTime {
        static long waited;

        @Test
        void theCallComesAfterThreeSeconds(EventLoop loop) {
            Ticker ticker = mock(Ticker.class);
            loop.callLater(Duration.ofSeconds(3), () -> ticker.publish("ACME 101.50"));
            long start = loop.time();
            verify(ticker, LoopMockito.timeout(Duration.ofSeconds(5))).publish("ACME 101.50");
            waited = loop.time() - start;
        }

        @Test
        void twoCallsWithinTheTimeout(EventLoop loop) {
            Ticker ticker = mock(Ticker.class);
            loop.callLater(Duration.ofSeconds(1), () -> ticker.publish("tick"));
            loop.callLater(Duration.ofSeconds(2), () -> ticker.publish("tick"));
            verify(ticker, LoopMockito.timeout(Duration.ofSeconds(5)).times(2)).publish("tick");
        }
    }

    @Test
    void aVerificationWaitsInLoopTimeWhileTheLoopMakesTheCall() {
        run(VerifiesInLoopTime.class).assertStatistics(stats -> stats.started(2).succeeded(2));
        assertThat(VerifiesInLoopTime.waited)
                .isBetween(
                        Duration.ofSeconds(3).toNanos(), Duration.ofMillis(3010).toNanos());
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class WaitsAnHour {
        static final AtomicInteger verifications = new AtomicInteger();

        @Test
        void theCallComesAfterFiftyMinutes(EventLoop loop) {
            Ticker ticker = mock(Ticker.class);
            loop.callLater(Duration.ofMinutes(20), () -> ticker.publish("tick"));
            loop.callLater(Duration.ofMinutes(50), () -> ticker.publish("tick"));
            VerificationMode twice = Mockito.times(2);
            VerificationMode counted = data -> {
                verifications.incrementAndGet();
                twice.verify(data);
            };
            verify(ticker, new LoopTimeout(Duration.ofHours(1), counted)).publish("tick");
        }
    }

    @Test
    void overALongWaitItVerifiesAgainOnlyWhenTheMockWasCalled() {
        WaitsAnHour.verifications.set(0);
        run(WaitsAnHour.class).assertStatistics(stats -> stats.started(1).succeeded(1));
        // with no call, 0 s; the first call, 20 min; the second, 50 min: not once per 10 ms poll (300,000 polls)
        assertThat(WaitsAnHour.verifications).hasValue(3);
    }

    @WithEventLoop
    static class VerifiesInRealTime {
        @Test
        void theCallComesAfterTwentyMilliseconds(EventLoop loop) {
            Ticker ticker = mock(Ticker.class);
            loop.callLater(Duration.ofMillis(20), () -> ticker.publish("ACME 101.50"));
            verify(ticker, LoopMockito.timeout(Duration.ofSeconds(30))).publish("ACME 101.50");
        }
    }

    @Test
    void onARealClockTheTimeoutIsRealTime() {
        run(VerifiesInRealTime.class).assertStatistics(stats -> stats.started(1).succeeded(1));
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class NeverCalled {
        static long waited;

        @Test
        void noCallWithinOneSecond(EventLoop loop) {
            Ticker ticker = mock(Ticker.class);
            loop.callLater(Duration.ofSeconds(2), () -> ticker.publish("late"));
            long start = loop.time();
            try {
                verify(ticker, LoopMockito.timeout(Duration.ofSeconds(1))).publish("late");
            } finally {
                waited = loop.time() - start;
            }
        }
    }

    @Test
    void whenTimeIsUpMockitosOwnFailureIsThrown() {
        assertThat(failureOf(run(NeverCalled.class)))
                .isInstanceOf(WantedButNotInvoked.class)
                .hasMessageContaining("Wanted but not invoked:")
                .hasMessageContaining("ticker.publish(\"late\")");
        assertThat(NeverCalled.waited).isEqualTo(Duration.ofSeconds(1).toNanos());
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class TooFew {
        @Test
        void oneCallOfTwo(EventLoop loop) {
            Ticker ticker = mock(Ticker.class);
            loop.callLater(Duration.ofSeconds(1), () -> ticker.publish("tick"));
            verify(ticker, LoopMockito.timeout(Duration.ofSeconds(2)).atLeast(2))
                    .publish("tick");
        }
    }

    @Test
    void theWrappedCountIsWhatIsVerified() {
        assertThat(failureOf(run(TooFew.class)))
                .isInstanceOf(TooFewActualInvocations.class)
                .hasMessageContaining("ticker.publish(\"tick\")");
    }

    @Test
    void outsideACoroutineItSaysToUseMockitosTimeout() {
        Ticker ticker = mock(Ticker.class);
        assertThatThrownBy(() -> verify(ticker, LoopMockito.timeout(Duration.ofSeconds(1)))
                        .publish("x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("LoopMockito.timeout() verifies in loop time by suspending the current"
                        + " coroutine, but thread \"")
                .hasMessageEndingWith("or use Mockito.timeout() on a thread outside the loop.");
    }
}
