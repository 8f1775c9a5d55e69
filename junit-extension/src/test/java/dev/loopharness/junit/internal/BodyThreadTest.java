package dev.loopharness.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopharness.LoopClock;
import dev.loopharness.junit.LoopTimeoutError;
import dev.loopharness.spi.OwnedLoop;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The thread that stands in for JUnit's with {@code body = TEST_THREAD}: one per loop, ended by its close. */
class BodyThreadTest {

    private static final Duration LONG_ENOUGH = Duration.ofSeconds(30);
    private static final Duration SHORT = Duration.ofMillis(100);
    private static final Duration GRACE = Duration.ofMillis(200);

    private final OwnedLoop owned = OwnedLoop.create(LoopClock.system());
    private final String owner = "the owner " + System.identityHashCode(this);
    private final BodyThread bodyThread = new BodyThread(owned, owner, GRACE);

    @AfterEach
    void close() {
        bodyThread.close();
        owned.loop().close();
    }

    private Thread runOnIt(BodyThread on) throws Exception {
        AtomicReference<Thread> seen = new AtomicReference<>();
        on.run(() -> seen.getAndSet(Thread.currentThread()), "t()", LONG_ENOUGH, false, () -> {});
        return seen.get();
    }

    @Test
    void theMethodsOfALoopShareOneThreadWhichItsCloseEnds() throws Exception {
        Thread first = runOnIt(bodyThread);
        Thread second = runOnIt(bodyThread);

        assertThat(first).isSameAs(second).isNotSameAs(Thread.currentThread());
        assertThat(first.getName()).isEqualTo("loopharness body thread of " + owner);
        bodyThread.close();
        assertThat(first.isAlive()).isFalse();
    }

    @Test
    void theMethodsFailureIsRethrownAsItself() {
        IllegalStateException failure = new IllegalStateException("the body's own");

        assertThatThrownBy(() -> bodyThread.run(
                        () -> {
                            throw failure;
                        },
                        "t()",
                        LONG_ENOUGH,
                        false,
                        () -> {}))
                .isSameAs(failure);
    }

    @Test
    void pastItsTimeoutAnInterruptibleMethodFailsWithItsOwnFailureAttached() {
        AtomicInteger timeouts = new AtomicInteger();

        assertThatThrownBy(() -> bodyThread.run(
                        () -> {
                            Thread.sleep(LONG_ENOUGH.toMillis());
                            return null;
                        },
                        "sleeps()",
                        SHORT,
                        false,
                        timeouts::incrementAndGet))
                .isInstanceOf(LoopTimeoutError.class)
                .hasMessageStartingWith("Test \"sleeps()\" did not complete within PT0.1S of real time; it ran on the"
                        + " test thread (body = TEST_THREAD) and was at ")
                .satisfies(timedOut ->
                        assertThat(timedOut.getSuppressed()).singleElement().isInstanceOf(InterruptedException.class));
        assertThat(timeouts).hasValue(1);
    }

    @Test
    void aMethodStillBlockedAfterTheGraceIsAbandonedAndTheNextRunsOnANewThread() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        AtomicReference<Thread> blocked = new AtomicReference<>();
        assertThat(bodyThreadsAlive()).isZero();
        lock.lock();
        try {
            assertThatThrownBy(() -> bodyThread.run(
                            () -> {
                                blocked.set(Thread.currentThread());
                                lock.lock(); // ignores the interrupt
                                lock.unlock();
                                return null;
                            },
                            "locks()",
                            SHORT,
                            false,
                            () -> {}))
                    .isInstanceOf(LoopTimeoutError.class)
                    .hasMessageStartingWith("Test \"locks()\" did not complete within PT0.1S of real time: it ran on"
                            + " the test thread (body = TEST_THREAD) and blocked in a call that ignores interrupts,"
                            + " still blocked PT0.2S after its tasks were cancelled and the thread was interrupted."
                            + " Thread \"loopharness body thread of " + owner + "\" is abandoned")
                    .hasMessageContaining("\n  at java.util.concurrent.locks.ReentrantLock.lock(");
            assertThat(runOnIt(bodyThread)).isNotSameAs(blocked.get());
        } finally {
            lock.unlock();
        }
        blocked.get().join(LONG_ENOUGH.toMillis());
        assertThat(blocked.get().isAlive()).isFalse();
        bodyThread.close();
        assertThat(bodyThreadsAlive()).isZero();
    }

    /** The live threads of this test's body thread, abandoned ones included. */
    private long bodyThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("loopharness body thread of " + owner))
                .count();
    }
}
