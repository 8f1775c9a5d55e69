package dev.loopharness.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.Async;
import dev.loopharness.VirtualClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which thread owns a loop ({@link DefaultEventLoop#isOwnerThread()}): while it runs, the thread that runs it or
 * the task thread it handed control to, and no other; while it does not run, any thread may act on it.
 */
class OwnerThreadTest {

    private final DefaultEventLoop loop = new DefaultEventLoop(new VirtualClock());

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    /** Asks {@link DefaultEventLoop#isOwnerThread()} on a thread of its own, and waits for the answer. */
    private boolean ownerOnAnotherThread() throws InterruptedException {
        AtomicBoolean owner = new AtomicBoolean();
        Thread other = new Thread(() -> owner.set(loop.isOwnerThread()), "not-the-loop");
        other.start();
        other.join();
        return owner.get();
    }

    @Test
    void aLoopThatDoesNotRunBelongsToEveryThread() throws InterruptedException {
        assertThat(loop.isOwnerThread()).isTrue();
        assertThat(ownerOnAnotherThread()).isTrue();
    }

    @Test
    void aRunningLoopBelongsToTheThreadThatRunsIt() {
        boolean[] seen = new boolean[2];
        loop.callSoon(() -> {
            seen[0] = loop.isOwnerThread();
            try {
                seen[1] = ownerOnAnotherThread();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        loop.callSoon(loop::stop);

        loop.runForever();

        assertThat(seen[0]).as("the loop's thread").isTrue();
        assertThat(seen[1]).as("another thread, while the loop runs").isFalse();
    }

    @Test
    void aTaskThatHoldsControlOwnsTheLoop() {
        boolean[] seen = new boolean[2];

        loop.runUntilComplete(() -> {
            seen[0] = loop.isOwnerThread();
            Async.sleep(Duration.ZERO);
            seen[1] = ownerOnAnotherThread();
            return null;
        });

        assertThat(seen[0]).as("the task's thread").isTrue();
        assertThat(seen[1]).as("another thread, while the task runs").isFalse();
    }
}
