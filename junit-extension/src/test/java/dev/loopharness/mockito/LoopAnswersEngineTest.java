package dev.loopharness.mockito;

import static dev.loopharness.testing.EngineRuns.failureOf;
import static dev.loopharness.testing.EngineRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.LoopFuture;
import dev.loopharness.junit.ClockMode;
import dev.loopharness.junit.WithEventLoop;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Mockito answers bound to the loop, in virtual and real time, through the JUnit engine. */
class LoopAnswersEngineTest {

    /** An asynchronous collaborator, in every future type a mocked method may declare. */
    interface PriceFeed {
        CompletableFuture<Double> price(String symbol);

        CompletionStage<Double> quote(String symbol);

        LoopFuture<Double> loopPrice(String symbol);

        Future<Double> legacyPrice(String symbol);

        String name();
    }

    /** The code under test: asks the feed and falls back when it does not answer in time. */
    static final class PriceClient {
        private final PriceFeed feed;
        private final Duration timeout;

        PriceClient(PriceFeed feed, Duration timeout) {
            this.feed = feed;
            this.timeout = timeout;
        }

        double priceOr(String symbol, double fallback) throws Exception {
            try {
                return Async.waitFor(() -> Async.await(feed.price(symbol)), timeout);
            } catch (TimeoutException slow) {
                return fallback;
            }
        }
    }

    // ---- a slow feed makes the client time out, in virtual time -----------------------------------------------

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class SlowFeed {
        static double price;
        static long waited;

        @Test
        void clientTimesOutBeforeTheFeedAnswers(EventLoop loop) throws Exception {
            PriceFeed feed = mock(PriceFeed.class);
            when(feed.price("ACME")).thenAnswer(LoopAnswers.completeAfter(Duration.ofSeconds(2), 101.5));
            PriceClient client = new PriceClient(feed, Duration.ofSeconds(1));
            long start = loop.time();
            price = client.priceOr("ACME", -1);
            waited = loop.time() - start;
        }
    }

    @Test
    void aFeedThatAnswersAfterTwoVirtualSecondsMakesAClientWithAOneSecondTimeoutFallBack() {
        run(SlowFeed.class).assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(SlowFeed.price).isEqualTo(-1);
        assertThat(SlowFeed.waited).isEqualTo(Duration.ofSeconds(1).toNanos());
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class HoursOfVirtualTime {
        static double slow;
        static double fast;
        static long realNanos;

        @Test
        void takeNoRealTime() throws Exception {
            long realStart = System.nanoTime();
            PriceFeed feed = mock(PriceFeed.class);
            when(feed.price("ACME")).thenAnswer(LoopAnswers.completeAfter(Duration.ofHours(2), 101.5));
            when(feed.price("GLOBEX")).thenAnswer(LoopAnswers.completeAfter(Duration.ofMinutes(30), 47.25));
            PriceClient client = new PriceClient(feed, Duration.ofHours(1));
            slow = client.priceOr("ACME", -1);
            fast = client.priceOr("GLOBEX", -1);
            realNanos = System.nanoTime() - realStart;
        }
    }

    @Test
    void hoursOfLoopTimeOnAVirtualClockPassInFarLessRealTime() {
        run(HoursOfVirtualTime.class).assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(HoursOfVirtualTime.slow).isEqualTo(-1);
        assertThat(HoursOfVirtualTime.fast).isEqualTo(47.25);
        // an hour and a half of loop time; a generous bound that only a real-time wait could break
        assertThat(Duration.ofNanos(HoursOfVirtualTime.realNanos)).isLessThan(Duration.ofMinutes(1));
    }

    // ---- every future type, every outcome -----------------------------------------------------------------------

    @WithEventLoop
    static class RealTimeAnswers {
        @Test
        void completesAfterADelayOfRealTime(EventLoop loop) throws Exception {
            PriceFeed feed = mock(PriceFeed.class);
            when(feed.price("ACME")).thenAnswer(LoopAnswers.completeAfter(Duration.ofMillis(30), 101.5));
            long start = loop.time();
            assertThat(new PriceClient(feed, Duration.ofSeconds(30)).priceOr("ACME", -1))
                    .isEqualTo(101.5);
            assertThat(loop.time() - start)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(30).toNanos());
        }
    }

    @Test
    void onARealClockTheDelayIsRealTime() {
        run(RealTimeAnswers.class).assertStatistics(stats -> stats.started(1).succeeded(1));
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class EveryFutureType {
        @Test
        void theDeclaredTypeIsReturned(EventLoop loop) throws Exception {
            PriceFeed feed = mock(PriceFeed.class);
            when(feed.quote("A")).thenAnswer(LoopAnswers.completeAfter(Duration.ofSeconds(1), 1.0));
            when(feed.loopPrice("B")).thenAnswer(LoopAnswers.completeAfter(Duration.ofSeconds(1), 2.0));
            doAnswer(LoopAnswers.completeAfter(Duration.ofSeconds(1), 3.0))
                    .when(feed)
                    .legacyPrice("C");
            LoopFuture<Double> onTheLoop = feed.loopPrice("B");
            assertThat(onTheLoop.loop()).isSameAs(loop);
            Future<Double> legacy = feed.legacyPrice("C");
            assertThat(legacy).isInstanceOf(CompletableFuture.class);
            assertThat(Async.await(feed.quote("A"))).isEqualTo(1.0);
            assertThat(Async.await(onTheLoop)).isEqualTo(2.0);
            assertThat(Async.await((CompletableFuture<Double>) legacy)).isEqualTo(3.0);
        }

        @Test
        void failsAfterADelayWithTheSameException(EventLoop loop) {
            IllegalStateException outage = new IllegalStateException("feed down");
            PriceFeed feed = mock(PriceFeed.class);
            when(feed.price("ACME")).thenAnswer(LoopAnswers.failAfter(Duration.ofSeconds(3), outage));
            long start = loop.time();
            assertThatThrownBy(() -> Async.await(feed.price("ACME"))).isSameAs(outage);
            assertThat(loop.time() - start).isEqualTo(Duration.ofSeconds(3).toNanos());
        }

        @Test
        void neverCompletesSoTheClientFallsBack(EventLoop loop) throws Exception {
            PriceFeed feed = mock(PriceFeed.class);
            when(feed.price("ACME")).thenAnswer(LoopAnswers.neverComplete());
            assertThat(new PriceClient(feed, Duration.ofSeconds(5)).priceOr("ACME", -1))
                    .isEqualTo(-1);
        }

        @Test
        void completesWhenTheTestSaysSo(EventLoop loop) throws Exception {
            LoopFuture<Double> answer = loop.createFuture();
            PriceFeed feed = mock(PriceFeed.class);
            when(feed.price("ACME")).thenAnswer(LoopAnswers.completeWhen(answer));
            loop.callLater(Duration.ofSeconds(4), () -> answer.setResult(99.0));
            long start = loop.time();
            assertThat(new PriceClient(feed, Duration.ofSeconds(10)).priceOr("ACME", -1))
                    .isEqualTo(99.0);
            assertThat(loop.time() - start).isEqualTo(Duration.ofSeconds(4).toNanos());
        }

        @Test
        void computesTheValueFromTheInvocation() throws Exception {
            PriceFeed feed = mock(PriceFeed.class);
            when(feed.price(org.mockito.ArgumentMatchers.anyString()))
                    .thenAnswer(LoopAnswers.answerAfter(
                            Duration.ofSeconds(1),
                            invocation ->
                                    invocation.getArgument(0, String.class).length() * 1.0));
            assertThat(Async.await(feed.price("GLOBEX"))).isEqualTo(6.0);
        }

        @Test
        void aCallFromAnotherThreadIsAnsweredOnTheLoopTheAnswerWasMadeOn(EventLoop loop) throws Exception {
            PriceFeed feed = mock(PriceFeed.class);
            when(feed.loopPrice("ACME")).thenAnswer(LoopAnswers.completeAfter(Duration.ofSeconds(1), 5.0));
            CompletableFuture<LoopFuture<Double>> called = new CompletableFuture<>();
            Thread other = new Thread(() -> called.complete(feed.loopPrice("ACME")), "not-the-loop");
            other.start();
            // declared work: in virtual time an undeclared stage that another thread completes may be taken for a
            // deadlock once the deadlock grace has passed (on a loaded machine, the thread may start late)
            LoopFuture<Double> price = Async.await(loop.wrapFuture(called));
            other.join();
            assertThat(price.loop()).isSameAs(loop);
            assertThat(Async.await(price)).isEqualTo(5.0);
        }
    }

    @Test
    void answersReturnTheDeclaredFutureTypeAndSettleItOnTheLoopInLoopTime() {
        run(EveryFutureType.class).assertStatistics(stats -> stats.started(6).succeeded(6));
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class CancelledBeforeTheAnswer {
        @Test
        void leavesNoTimerBehind() {
            PriceFeed feed = mock(PriceFeed.class);
            when(feed.loopPrice("ACME")).thenAnswer(LoopAnswers.completeAfter(Duration.ofMinutes(5), 1.0));
            when(feed.price("ACME")).thenAnswer(LoopAnswers.completeAfter(Duration.ofMinutes(5), 1.0));
            feed.loopPrice("ACME").cancel();
            feed.price("ACME").cancel(false);
            Async.sleep(Duration.ZERO);
        }
    }

    @Test
    void aFutureCancelledBeforeItsAnswerTakesItsTimerWithIt() {
        // leaks = FAIL is the default: a timer left on the loop would fail the test
        run(CancelledBeforeTheAnswer.class)
                .assertStatistics(stats -> stats.started(1).succeeded(1));
    }

    @WithEventLoop
    static class WrongReturnType {
        @Test
        void stubsAMethodThatReturnsNoFuture() {
            PriceFeed feed = mock(PriceFeed.class);
            when(feed.name()).thenAnswer(LoopAnswers.completeAfter(Duration.ofSeconds(1), "x"));
        }
    }

    @Test
    void aMethodThatReturnsNoFutureIsRefusedWhenStubbed() {
        assertThat(failureOf(run(WrongReturnType.class)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LoopAnswers.completeAfter(PT1S, x) answers methods that return a CompletableFuture,"
                        + " CompletionStage, Future or LoopFuture, but PriceFeed.name() returns java.lang.String."
                        + " Stub it with thenReturn(...) or thenAnswer(...) instead.");
    }

    @Test
    void anAnswerMadeAndCalledAwayFromAnyLoopSaysHowToBindIt() {
        PriceFeed feed = mock(PriceFeed.class);
        when(feed.price("ACME")).thenAnswer(LoopAnswers.completeAfter(Duration.ofSeconds(1), 1.0));
        assertThatThrownBy(() -> feed.price("ACME"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("LoopAnswers.completeAfter(PT1S, 1.0) cannot answer PriceFeed.price(): it"
                        + " was called on thread \"")
                .hasMessageContaining("Stub the mock from a coroutine or a callback");
    }

    @Test
    void badArgumentsAreRefusedNamingThem() {
        assertThatThrownBy(() -> LoopAnswers.completeAfter(Duration.ofSeconds(-1), 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delay must be zero or positive: got PT-1S");
        assertThatThrownBy(() -> LoopAnswers.failAfter(Duration.ZERO, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("failure must not be null");
        assertThatThrownBy(() -> LoopMockito.timeout(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("timeout must not be null");
    }
}
