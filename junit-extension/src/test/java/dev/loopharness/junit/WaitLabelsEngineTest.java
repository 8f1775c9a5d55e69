package dev.loopharness.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.Async;
import dev.loopharness.LoopLock;
import dev.loopharness.LoopQueue;
import dev.loopharness.Task;
import dev.loopharness.testing.EngineRuns;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Leak and hang reports name the queue or lock a task waits on, by name and state. */
class WaitLabelsEngineTest {

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class LeaksAReaderOfAFullQueue {
        @Test
        void startsAReaderAndForgetsIt() {
            LoopQueue<Integer> prices = new LoopQueue<Integer>(2).withName("prices");
            Task<Object> reader = Async.createTask(() -> {
                for (int i = 0; ; i++) {
                    prices.put(i);
                }
            });
            reader.setName("reader");
            Async.sleep(Duration.ZERO);
        }
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL, scope = LoopScope.CLASS)
    static class LeaksAReaderOfAFullQueueOnAClassLoop extends LeaksAReaderOfAFullQueue {}

    @Test
    void aLeakReportNamesTheQueueALeakedTaskWaitsOn() {
        for (Class<?> fixture :
                new Class<?>[] {LeaksAReaderOfAFullQueue.class, LeaksAReaderOfAFullQueueOnAClassLoop.class}) {
            Throwable failure = EngineRuns.failureOf(EngineRuns.run(fixture));
            assertThat(failure)
                    .as(fixture.getSimpleName())
                    .isInstanceOf(LeakedWorkError.class)
                    .hasMessageContaining("task 'reader' created at " + LeaksAReaderOfAFullQueue.class.getName())
                    .hasMessageContaining(", waiting on LoopQueue 'prices' (full, 2 items) at "
                            + LeaksAReaderOfAFullQueue.class.getName() + ".lambda$startsAReaderAndForgetsIt$");
        }
    }

    @WithEventLoop(timeout = "200ms")
    static class HangsOnALock {
        @Test
        void acquiresTwice() {
            LoopLock lock = new LoopLock().withName("ledger");
            lock.acquire();
            lock.acquire(); // no owner, as in asyncio: this waits for itself
        }
    }

    @WithEventLoop(timeout = "200ms", scope = LoopScope.CLASS)
    static class HangsOnALockOnAClassLoop extends HangsOnALock {}

    @Test
    void aHangReportNamesTheLockTheTestWaitsOn() {
        for (Class<?> fixture : new Class<?>[] {HangsOnALock.class, HangsOnALockOnAClassLoop.class}) {
            Throwable failure = EngineRuns.failureOf(EngineRuns.run(fixture));
            assertThat(failure)
                    .as(fixture.getSimpleName())
                    .isInstanceOf(LoopTimeoutError.class)
                    .hasMessageContaining("waiting on LoopLock 'ledger' (locked, 1 waiting) at "
                            + HangsOnALock.class.getName() + ".acquiresTwice(");
        }
    }
}
