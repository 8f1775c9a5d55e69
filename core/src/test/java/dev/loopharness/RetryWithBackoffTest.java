package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ordinary JDK async code, a retry with exponential backoff that knows only {@link ScheduledExecutorService} and
 * {@link CompletableFuture}, driven by a loop in virtual time: hours of retries in no time, at exact times.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RetryWithBackoffTest {

    private static final int ATTEMPTS = 10;
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration CALL_TAKES = Duration.ofMinutes(10);

    /** The code under test: nothing in it knows about loops. */
    static final class Retry {

        private Retry() {}

        /**
         * Calls the operation until it succeeds, at most {@code maxAttempts} times, waiting {@code firstBackoff}
         * after the first failure and twice as long after each one after.
         */
        static <T> CompletableFuture<T> withBackoff(
                ScheduledExecutorService scheduler,
                Supplier<CompletableFuture<T>> operation,
                int maxAttempts,
                Duration firstBackoff) {
            CompletableFuture<T> result = new CompletableFuture<>();
            scheduler.execute(() -> attempt(scheduler, operation, 1, maxAttempts, firstBackoff, result));
            return result;
        }

        private static <T> void attempt(
                ScheduledExecutorService scheduler,
                Supplier<CompletableFuture<T>> operation,
                int attempt,
                int maxAttempts,
                Duration backoff,
                CompletableFuture<T> result) {
            operation.get().whenComplete((value, failure) -> {
                if (failure == null) {
                    result.complete(value);
                } else if (attempt == maxAttempts) {
                    result.completeExceptionally(failure);
                } else {
                    scheduler.schedule(
                            () -> attempt(
                                    scheduler, operation, attempt + 1, maxAttempts, backoff.multipliedBy(2), result),
                            backoff.toNanos(),
                            TimeUnit.NANOSECONDS);
                }
            });
        }
    }

    /** A remote service that answers after ten minutes, failing until its {@code succeedAt}-th call. */
    static final class SlowService {
        private final EventLoop loop;
        private final ScheduledExecutorService scheduler;
        private final int succeedAt;
        final List<Duration> callTimes = new ArrayList<>();
        final List<IOException> failures = new ArrayList<>();

        SlowService(EventLoop loop, int succeedAt) {
            this.loop = loop;
            this.scheduler = loop.asScheduledExecutorService();
            this.succeedAt = succeedAt;
        }

        CompletableFuture<String> call() {
            callTimes.add(Duration.ofNanos(loop.time()));
            int call = callTimes.size();
            CompletableFuture<String> answer = new CompletableFuture<>();
            scheduler.schedule(
                    () -> {
                        if (call == succeedAt) {
                            answer.complete("ok at call " + call);
                        } else {
                            IOException failure = new IOException("call " + call + " failed");
                            failures.add(failure);
                            answer.completeExceptionally(failure);
                        }
                    },
                    CALL_TAKES.toNanos(),
                    TimeUnit.NANOSECONDS);
            return answer;
        }
    }

    /** Call k starts ten minutes (the failed call before it) plus 2^(k-2) seconds of backoff after call k-1. */
    private static List<Duration> expectedCallTimes() {
        List<Duration> times = new ArrayList<>();
        Duration at = Duration.ZERO;
        Duration backoff = FIRST_BACKOFF;
        for (int call = 1; call <= ATTEMPTS; call++) {
            times.add(at);
            at = at.plus(CALL_TAKES).plus(backoff);
            backoff = backoff.multipliedBy(2);
        }
        return times;
    }

    /**
     * Runs the loop until the future completes. Not {@code runUntilComplete(future)}: a CompletableFuture of
     * unknown origin counts as work in flight on other threads, which holds virtual time still.
     */
    private static void runUntilDone(EventLoop loop, CompletableFuture<?> future) {
        future.whenComplete((value, failure) -> loop.stop());
        loop.runForever();
    }

    @Test
    void tenAttemptsWithDoublingBackoffRunAtTheirExactTimesInVirtualTime() throws Exception {
        try (EventLoop loop = EventLoops.newEventLoop(new VirtualClock())) {
            SlowService service = new SlowService(loop, ATTEMPTS);

            CompletableFuture<String> result =
                    Retry.withBackoff(loop.asScheduledExecutorService(), service::call, ATTEMPTS, FIRST_BACKOFF);
            runUntilDone(loop, result);

            assertThat(result.get()).isEqualTo("ok at call 10");
            assertThat(service.callTimes)
                    .containsExactly(
                            Duration.ZERO,
                            Duration.parse("PT10M1S"),
                            Duration.parse("PT20M3S"),
                            Duration.parse("PT30M7S"),
                            Duration.parse("PT40M15S"),
                            Duration.parse("PT50M31S"),
                            Duration.parse("PT1H1M3S"),
                            Duration.parse("PT1H12M7S"),
                            Duration.parse("PT1H24M15S"),
                            Duration.parse("PT1H38M31S"))
                    .isEqualTo(expectedCallTimes());
            assertThat(Duration.ofNanos(loop.time())).isEqualTo(Duration.parse("PT1H48M31S"));
        }
    }

    @Test
    void afterTheLastAttemptFailsTheResultFailsWithItsExceptionAndNothingMoreRuns() {
        try (EventLoop loop = EventLoops.newEventLoop(new VirtualClock())) {
            SlowService service = new SlowService(loop, Integer.MAX_VALUE);
            ScheduledExecutorService scheduler = loop.asScheduledExecutorService();

            CompletableFuture<String> result = Retry.withBackoff(scheduler, service::call, ATTEMPTS, FIRST_BACKOFF);
            runUntilDone(loop, result);

            assertThatThrownBy(result::get)
                    .isInstanceOf(ExecutionException.class)
                    .hasMessage("java.io.IOException: call 10 failed")
                    .cause()
                    .isSameAs(service.failures.get(ATTEMPTS - 1));
            assertThat(service.callTimes).isEqualTo(expectedCallTimes());
            scheduler.shutdown();
            assertThat(scheduler.isTerminated()).isTrue();
            assertThat(Duration.ofNanos(loop.time())).isEqualTo(Duration.parse("PT1H48M31S"));
        }
    }

    @Test
    void theSameCodeRunsOnTheJdksOwnScheduler() throws Exception {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
        AtomicInteger calls = new AtomicInteger();
        try {
            CompletableFuture<String> result = Retry.withBackoff(
                    scheduler,
                    () -> calls.incrementAndGet() < 3
                            ? CompletableFuture.failedFuture(new IOException("not yet"))
                            : CompletableFuture.completedFuture("third time lucky"),
                    ATTEMPTS,
                    Duration.ofMillis(1));

            assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("third time lucky");
            assertThat(calls).hasValue(3);
        } finally {
            scheduler.shutdownNow();
        }
    }
}
