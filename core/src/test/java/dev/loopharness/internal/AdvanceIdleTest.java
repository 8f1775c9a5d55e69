package dev.loopharness.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.EventLoops;
import dev.loopharness.LoopClock;
import dev.loopharness.LoopFuture;
import dev.loopharness.VirtualClock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DefaultEventLoop#advanceIdleTo}: the clock moves at once for the coroutine that holds the loop only when
 * nothing else on the loop is due before the target; in every other case it stays, and the caller sleeps.
 */
class AdvanceIdleTest {

    private static final long MS = 1_000_000L;

    private final VirtualClock clock = new VirtualClock();
    private final DefaultEventLoop loop = (DefaultEventLoop) EventLoops.newEventLoop(clock);

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    /** Runs the body as a coroutine on the loop; the advance is asked for from it. */
    private <T> T inCoroutine(dev.loopharness.Coroutine<T> body) {
        return loop.runUntilComplete(body);
    }

    @Test
    void anIdleLoopMovesTheClockToTheTargetWithoutASwitch() {
        long[] times = inCoroutine(() -> {
            long start = loop.time();
            boolean moved = loop.advanceIdleTo(start + 100 * MS);
            return new long[] {moved ? 1 : 0, loop.time() - start};
        });
        assertThat(times).containsExactly(1, 100 * MS);
    }

    @Test
    void aTimerDueAtOrBeforeTheTargetKeepsTheClock() {
        boolean[] moved = inCoroutine(() -> {
            long start = loop.time();
            loop.callLater(Duration.ofMillis(100), () -> {});
            boolean atTheTimer = loop.advanceIdleTo(start + 100 * MS);
            boolean beforeTheTimer = loop.advanceIdleTo(start + 99 * MS);
            return new boolean[] {atTheTimer, beforeTheTimer, loop.time() == start + 99 * MS};
        });
        assertThat(moved).containsExactly(false, true, true);
    }

    @Test
    void aReadyCallbackKeepsTheClock() {
        boolean moved = inCoroutine(() -> {
            long start = loop.time();
            loop.callSoon(() -> {});
            return loop.advanceIdleTo(start + MS) || loop.time() != start;
        });
        assertThat(moved).isFalse();
    }

    @Test
    void aCallbackPostedFromAnotherThreadKeepsTheClock() {
        boolean moved = inCoroutine(() -> {
            long start = loop.time();
            Thread poster = new Thread(() -> loop.callSoonThreadsafe(() -> {}));
            poster.start();
            poster.join();
            return loop.advanceIdleTo(start + MS) || loop.time() != start;
        });
        assertThat(moved).isFalse();
    }

    @Test
    void declaredWorkInFlightKeepsTheClock() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        boolean moved = inCoroutine(() -> {
            long start = loop.time();
            LoopFuture<Boolean> work = loop.runInExecutor(null, () -> release.await(30, TimeUnit.SECONDS));
            boolean result = loop.advanceIdleTo(start + MS) || loop.time() != start;
            release.countDown();
            Async.await(work);
            return result;
        });
        assertThat(moved).isFalse();
    }

    @Test
    void anAutojumpThresholdKeepsTheClock() {
        clock.setAutojumpThreshold(Duration.ofMillis(1));
        boolean moved = inCoroutine(() -> loop.advanceIdleTo(loop.time() + MS));
        assertThat(moved).isFalse();
    }

    @Test
    void aCallbackCannotMoveTheClock() {
        AtomicBoolean moved = new AtomicBoolean(true);
        AtomicReference<Long> start = new AtomicReference<>();
        loop.callSoon(() -> {
            start.set(loop.time());
            moved.set(loop.advanceIdleTo(loop.time() + MS));
            loop.stop();
        });
        loop.runForever();
        assertThat(moved).isFalse();
        assertThat(loop.time()).isEqualTo(start.get());
    }

    @Test
    void aLoopOnTheRealClockNeverMovesIt() {
        try (EventLoop real = EventLoops.newEventLoop(LoopClock.system())) {
            boolean moved = real.runUntilComplete(() -> ((DefaultEventLoop) real).advanceIdleTo(real.time() + MS));
            assertThat(moved).isFalse();
        }
    }
}
