package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopharness.spi.OwnedLoop;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/** An owner can give up a task step that blocks the loop in a call that ignores interrupts. */
class GiveUpBlockedStepTest {

    /** Polls, with a generous bound, until the task that holds the loop waits in the lock. */
    private static void waitUntilBlocked(OwnedLoop loop) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Thread task = loop.runningTaskThread();
            if (task != null && task.getState() == Thread.State.WAITING) {
                return;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("the task never blocked in the lock");
    }

    @Test
    void theBlockedTaskIsAbandonedTheLoopGoesOnAndTheThreadEndsOnceTheCallReturns() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        lock.lock();
        AtomicReference<Thread> blocked = new AtomicReference<>();
        OwnedLoop impl = OwnedLoop.create(LoopClock.system());
        try (EventLoop loop = impl.loop()) {
            assertThat(impl.giveUpBlockedStep()).isFalse();
            Thread watchdog = new Thread(() -> {
                waitUntilBlocked(impl);
                blocked.set(impl.runningTaskThread());
                blocked.get().interrupt(); // ignored by lock()
                assertThat(impl.giveUpBlockedStep()).isTrue();
            });
            watchdog.start();
            Task<Object> stuck = loop.createTask("stuck", () -> {
                lock.lock();
                try {
                    return Async.await(Async.loop().createFuture());
                } finally {
                    lock.unlock();
                }
            });
            assertThatThrownBy(() -> loop.runUntilComplete(stuck))
                    .isInstanceOf(CancellationException.class)
                    .hasMessage("Task stuck was abandoned: it blocked its loop in a call that is not an await and"
                            + " ignores interrupts");
            watchdog.join();
            assertThat(loop.allTasks()).isEmpty();
            assertThat(loop.runUntilComplete(() -> "the loop still runs")).isEqualTo("the loop still runs");
        } finally {
            lock.unlock();
        }
        blocked.get().join(Duration.ofSeconds(30).toMillis());
        assertThat(blocked.get().isAlive()).isFalse();
    }
}
