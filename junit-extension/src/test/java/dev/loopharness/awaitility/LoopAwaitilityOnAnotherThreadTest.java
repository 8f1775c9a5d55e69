package dev.loopharness.awaitility;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopharness.EventLoop;
import dev.loopharness.EventLoops;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A wait from a thread that runs no loop, while the loop runs on its own thread: real time, evaluated on the loop. */
class LoopAwaitilityOnAnotherThreadTest {

    private EventLoop loop;
    private Thread loopThread;

    @BeforeEach
    void startALoopOnItsOwnThread() throws InterruptedException {
        loop = EventLoops.newEventLoop();
        CountDownLatch running = new CountDownLatch(1);
        loopThread = new Thread(
                () -> {
                    loop.callSoon(running::countDown);
                    loop.runForever();
                },
                "loop-under-test");
        loopThread.start();
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
    }

    @AfterEach
    void stopAndClose() throws InterruptedException {
        loop.callSoonThreadsafe(loop::stop);
        loopThread.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(loopThread.isAlive()).isFalse();
        loop.close();
    }

    @Test
    void theConditionIsEvaluatedOnTheLoopWhileThisThreadWaits() {
        AtomicInteger ticks = new AtomicInteger();
        AtomicReference<Thread> evaluatedOn = new AtomicReference<>();
        AtomicReference<Thread> tickedOn = new AtomicReference<>();
        loop.callSoonThreadsafe(() -> tick(ticks, tickedOn));
        int seen = LoopAwaitility.await(loop)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(5))
                .until(
                        () -> {
                            evaluatedOn.set(Thread.currentThread());
                            return ticks.get();
                        },
                        count -> count >= 3);
        assertThat(seen).isGreaterThanOrEqualTo(3);
        assertThat(evaluatedOn.get()).isNotSameAs(Thread.currentThread()).isSameAs(tickedOn.get());
    }

    private void tick(AtomicInteger ticks, AtomicReference<Thread> tickedOn) {
        tickedOn.set(Thread.currentThread());
        if (ticks.incrementAndGet() < 3) {
            loop.callLater(Duration.ofMillis(10), () -> tick(ticks, tickedOn));
        }
    }

    @Test
    void aTimeoutIsAwaitilitysOwn() {
        assertThatThrownBy(() -> LoopAwaitility.await(loop)
                        .alias("never")
                        .atMost(Duration.ofMillis(200))
                        .until(() -> false))
                .isInstanceOf(ConditionTimeoutException.class)
                .hasMessageStartingWith(
                        "Condition with alias 'never' didn't complete within 200 milliseconds" + " because ");
    }

    @Test
    void anAssertionIsRetriedOnTheLoop() {
        AtomicInteger ticks = new AtomicInteger();
        loop.callSoonThreadsafe(() -> loop.callLater(Duration.ofMillis(20), () -> ticks.set(2)));
        LoopAwaitility.await(loop)
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(ticks).hasValue(2));
        assertThat(ticks).hasValue(2);
    }
}
