package dev.loopharness.awaitility;

import static dev.loopharness.testing.EngineRuns.failureOf;
import static dev.loopharness.testing.EngineRuns.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.is;

import dev.loopharness.EventLoop;
import dev.loopharness.junit.ClockMode;
import dev.loopharness.junit.WithEventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * The Awaitility bridge under {@code @WithEventLoop}, in real and virtual time, each rule shown by a fixture class
 * run through the JUnit engine.
 */
class LoopAwaitilityEngineTest {

    /** A condition only a timer on the loop makes true. */
    static AtomicBoolean setByATimer(EventLoop loop, Duration after) {
        AtomicBoolean flag = new AtomicBoolean();
        loop.callLater(after, () -> flag.set(true));
        return flag;
    }

    // ---- a wait on the loop lets the loop run -----------------------------------------------------------------

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class WaitsInVirtualTime {
        static long waited;

        @Test
        void timerMakesTheConditionTrue(EventLoop loop) {
            AtomicBoolean flag = setByATimer(loop, Duration.ofSeconds(5));
            long start = loop.time();
            LoopAwaitility.await().atMost(Duration.ofSeconds(10)).untilTrue(flag);
            waited = loop.time() - start;
        }
    }

    @Test
    void aWaitOnAVirtualLoopSuspendsWhileTheLoopRunsTheTimerThatEndsIt() {
        run(WaitsInVirtualTime.class).assertStatistics(stats -> stats.started(1).succeeded(1));
        // the default poll interval is 100 ms: the first poll at or after 5 s sees the flag
        assertThat(WaitsInVirtualTime.waited).isEqualTo(Duration.ofSeconds(5).toNanos());
    }

    @WithEventLoop
    static class WaitsInRealTime {
        static long waited;

        @Test
        void timerMakesTheConditionTrue(EventLoop loop) {
            AtomicBoolean flag = setByATimer(loop, Duration.ofMillis(50));
            long start = loop.time();
            LoopAwaitility.await().atMost(Duration.ofSeconds(30)).untilTrue(flag);
            waited = loop.time() - start;
        }
    }

    @Test
    void aWaitOnARealLoopSuspendsWhileTheLoopRunsTheTimerThatEndsIt() {
        run(WaitsInRealTime.class).assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(WaitsInRealTime.waited)
                .isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
    }

    static class PlainAwaitilityBlocksTheLoop {
        @Test
        @WithEventLoop
        void onARealLoop(EventLoop loop) {
            AtomicBoolean flag = setByATimer(loop, Duration.ofMillis(10));
            Awaitility.await().atMost(Duration.ofMillis(300)).untilTrue(flag);
        }

        @Test
        @WithEventLoop(clock = ClockMode.VIRTUAL)
        void onAVirtualLoop(EventLoop loop) {
            AtomicBoolean flag = setByATimer(loop, Duration.ofMillis(10));
            Awaitility.await().atMost(Duration.ofMillis(300)).untilTrue(flag);
        }
    }

    @Test
    void plainAwaitilityInATestBodyBlocksTheLoopWhoseTimerWouldEndTheWaitSoItTimesOut() {
        Events events = run(PlainAwaitilityBlocksTheLoop.class);
        events.assertStatistics(stats -> stats.started(2).failed(2));
        events.failed().stream().forEach(event -> {
            Throwable failure = event.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                    .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                    .orElseThrow();
            assertThat(failure)
                    .isInstanceOf(ConditionTimeoutException.class)
                    .hasMessageEndingWith("within 300 milliseconds.");
        });
    }

    // ---- what a timeout says ----------------------------------------------------------------------------------

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class TimesOutInVirtualTime {
        static long waited;

        @Test
        void neverTrue(EventLoop loop) {
            long start = loop.time();
            try {
                LoopAwaitility.await().atMost(Duration.ofSeconds(5)).until(() -> false);
            } finally {
                waited = loop.time() - start;
            }
        }
    }

    @Test
    void aTimeoutIsAwaitilitysExceptionWordedAsAwaitilityWordsItInLoopTime() {
        Throwable failure = failureOf(run(TimesOutInVirtualTime.class));
        assertThat(failure)
                .isInstanceOf(ConditionTimeoutException.class)
                .hasMessage("Condition with Lambda expression in " + TimesOutInVirtualTime.class.getName()
                        + " was not fulfilled within 5 seconds of virtual time.");
        assertThat(TimesOutInVirtualTime.waited).isEqualTo(Duration.ofSeconds(5).toNanos());
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class AliasedMatcherTimesOut {
        @Test
        void countStaysAtOne() {
            AtomicInteger count = new AtomicInteger(1);
            LoopAwaitility.await("three orders").atMost(Duration.ofSeconds(1)).until(count::get, is(3));
        }
    }

    @Test
    void anAliasedTimeoutNamesTheWaitAndSaysWhatTheLastValueWas() {
        assertThat(failureOf(run(AliasedMatcherTimesOut.class)))
                .isInstanceOf(ConditionTimeoutException.class)
                .hasMessage("Condition with alias 'three orders' didn't complete within 1 seconds of virtual time"
                        + " because lambda expression in " + AliasedMatcherTimesOut.class.getName()
                        + " expected is <3> but was <1>.");
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class AssertionTimesOut {
        @Test
        void sizeStaysAtZero() {
            List<String> received = new ArrayList<>();
            LoopAwaitility.await()
                    .atMost(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(received).hasSize(2));
        }
    }

    @Test
    void anUntilAssertedTimeoutCarriesTheLastAssertionFailureAsItsCause() {
        Throwable failure = failureOf(run(AssertionTimesOut.class));
        assertThat(failure)
                .isInstanceOf(ConditionTimeoutException.class)
                .hasMessageStartingWith(
                        "Assertion condition defined as a Lambda expression in " + AssertionTimesOut.class.getName())
                .hasMessageContaining("Expected size: 2 but was: 0")
                .hasMessageEndingWith(" within 500 milliseconds of virtual time.")
                .cause()
                .isInstanceOf(AssertionError.class);
    }

    // ---- polling, in loop time --------------------------------------------------------------------------------

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class PollsOnSchedule {
        static final List<Long> polledAt = new ArrayList<>();
        static Thread conditionThread;
        static Thread bodyThread;
        static Integer result;

        @Test
        void pollsEveryQuarterSecond(EventLoop loop) {
            polledAt.clear();
            long start = loop.time();
            bodyThread = Thread.currentThread();
            AtomicInteger counter = new AtomicInteger();
            loop.callLater(Duration.ofMillis(900), () -> counter.set(7));
            result = LoopAwaitility.await()
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(250))
                    .until(
                            () -> {
                                polledAt.add((loop.time() - start) / 1_000_000);
                                conditionThread = Thread.currentThread();
                                return counter.get();
                            },
                            value -> value > 5);
        }
    }

    @Test
    void theWaitingCoroutineEvaluatesTheConditionAtThePollIntervalsOfLoopTime() {
        run(PollsOnSchedule.class).assertStatistics(stats -> stats.started(1).succeeded(1));
        assertThat(PollsOnSchedule.polledAt).containsExactly(0L, 250L, 500L, 750L, 1000L);
        assertThat(PollsOnSchedule.result).isEqualTo(7);
        assertThat(PollsOnSchedule.conditionThread).isSameAs(PollsOnSchedule.bodyThread);
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class IgnoresExceptions {
        @Test
        void notReadyTwiceThenReady() {
            AtomicInteger calls = new AtomicInteger();
            LoopAwaitility.await()
                    .ignoreExceptionsInstanceOf(IllegalStateException.class)
                    .until(() -> {
                        if (calls.incrementAndGet() < 3) {
                            throw new IllegalStateException("not ready");
                        }
                        return true;
                    });
            assertThat(calls).hasValue(3);
        }

        @Test
        void anExceptionNotIgnoredEndsTheWait() {
            LoopAwaitility.await().until(() -> {
                throw new IllegalStateException("the price service is gone");
            });
        }
    }

    @Test
    void ignoredExceptionsMeanNotYetAndOthersEndTheWaitAsTheyAre() {
        Events events = run(IgnoresExceptions.class);
        events.assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        assertThat(failureOf(events)).isInstanceOf(IllegalStateException.class).hasMessage("the price service is gone");
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class Bounds {
        static long held;

        @Test
        void metTooEarly() {
            LoopAwaitility.await().atLeast(Duration.ofSeconds(1)).until(() -> true);
        }

        @Test
        void holdsForTwoSeconds(EventLoop loop) {
            AtomicBoolean flag = setByATimer(loop, Duration.ofSeconds(1));
            long start = loop.time();
            LoopAwaitility.await()
                    .during(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(5))
                    .untilTrue(flag);
            held = loop.time() - start;
        }

        @Test
        void failsFast() {
            LoopAwaitility.await()
                    .failFast("the order was rejected", () -> true)
                    .until(() -> false);
        }
    }

    @Test
    void atLeastDuringAndFailFastBehaveAsInAwaitility() {
        Events events = run(Bounds.class);
        events.assertStatistics(stats -> stats.started(3).succeeded(1).failed(2));
        List<Throwable> failures = events.failed().stream()
                .map(event -> event.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                        .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
                        .orElseThrow())
                .toList();
        assertThat(failures)
                .anySatisfy(failure -> assertThat(failure)
                        .isInstanceOf(ConditionTimeoutException.class)
                        .hasMessageStartingWith("Condition was evaluated in ")
                        .hasMessageEndingWith(" which is earlier than expected minimum timeout 1 seconds"))
                .anySatisfy(failure -> assertThat(failure)
                        .isInstanceOf(TerminalFailureException.class)
                        .hasMessage("the order was rejected"));
        assertThat(Bounds.held)
                .isBetween(
                        Duration.ofSeconds(3).toNanos(), Duration.ofMillis(3100).toNanos());
    }

    // ---- where a wait may not run -----------------------------------------------------------------------------

    @Test
    void aCallbackOnTheLoopCannotWait() {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        try (EventLoop loop = dev.loopharness.EventLoops.newEventLoop()) {
            loop.callSoon(() -> {
                try {
                    LoopAwaitility.await().until(() -> true);
                } catch (IllegalStateException expected) {
                    seen.set(expected);
                }
                loop.stop();
            });
            loop.runForever();
        }
        assertThat(seen.get())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("LoopAwaitility cannot wait inside a callback of ")
                .hasMessageContaining("Wait from a coroutine");
    }

    @Test
    void aThreadWithNoLoopMustNameOne() {
        assertThatThrownBy(() -> LoopAwaitility.await().until(() -> true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("LoopAwaitility.await() was called outside a coroutine, on thread \"")
                .hasMessageEndingWith("or name the loop: LoopAwaitility.await(loop).");
    }

    @Test
    void aCoroutineOfOneLoopCannotWaitOnAnother() {
        try (EventLoop other = dev.loopharness.EventLoops.newEventLoop()) {
            assertThatThrownBy(() -> dev.loopharness.EventLoops.run(() -> {
                        LoopAwaitility.await(other).until(() -> true);
                        return null;
                    }))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("LoopAwaitility was asked to wait for a condition on ")
                    .hasMessageContaining("waiting would block that coroutine's loop");
        }
    }

    @Test
    void badDurationsAreRefusedNamingTheArgument() {
        assertThatThrownBy(() -> LoopAwaitility.await().atMost(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("atMost must be zero or positive: got PT-1S");
        assertThatThrownBy(() -> LoopAwaitility.await().pollInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pollInterval must be positive: got PT0S");
        assertThatThrownBy(() ->
                        LoopAwaitility.await().atMost(Duration.ofSeconds(1)).during(Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("during(PT2S) must be shorter than atMost(PT1S): the condition could never hold that"
                        + " long before the wait times out");
        assertThatThrownBy(() -> LoopAwaitility.await().between(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("atLeast(PT2S) must be shorter than atMost(PT1S)");
        assertThatThrownBy(() -> LoopAwaitility.await().alias(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("alias must not be null");
    }
}
