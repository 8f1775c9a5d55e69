package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Timers on the real clock wait until the clock has reached their deadline. */
class RealClockTimerTest {

    private static final Duration DELAY = Duration.ofMillis(30);

    @Test
    void aTimerWithAPositiveDelayFiresOnceTheRealClockHasMovedOnByItsDelay() {
        // Preemptive: a clock that never moves would leave the timer waiting for ever.
        long[] times = assertTimeoutPreemptively(Duration.ofMinutes(1), () -> {
            try (EventLoop loop = EventLoops.newEventLoop()) {
                long start = loop.time();
                long firedAt = loop.runUntilComplete(() -> {
                    LoopFuture<Long> fired = loop.createFuture();
                    loop.callLater(DELAY, () -> fired.setResult(loop.time()));
                    return Async.await(fired);
                });
                return new long[] {start, firedAt};
            }
        });

        assertThat(times[1] - times[0]).isGreaterThanOrEqualTo(DELAY.toNanos());
    }
}
