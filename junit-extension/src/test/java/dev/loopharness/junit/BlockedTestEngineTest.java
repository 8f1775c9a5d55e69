package dev.loopharness.junit;

import static dev.loopharness.testing.EngineRuns.failureOf;
import static dev.loopharness.testing.EngineRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.testing.CapturedLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.platform.testkit.engine.Events;

/**
 * A test blocked in a call that ignores interrupts fails past its timeout and a short grace, whatever its body
 * does. A task of the test blocked so is abandoned and the next test runs at once; the body itself runs on the
 * test's own thread, which nothing can free, so its test fails once the call returns.
 */
class BlockedTestEngineTest {

    static final ReentrantLock LOCK = new ReentrantLock();
    static final List<Thread> BLOCKED = new CopyOnWriteArrayList<>();

    @WithEventLoop(timeout = "500ms")
    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class ATaskBlocksOnALockHeldElsewhere {
        @Test
        void a_takesTheLock() throws Exception {
            Async.await(Async.createTask(Thread.currentThread().getName() + " task", () -> {
                BLOCKED.add(Thread.currentThread());
                LOCK.lock(); // held by the engine test's thread: lock() ignores the interrupt
                LOCK.unlock();
                return null;
            }));
        }

        @Test
        void b_runsNext() {
            Async.sleep(Duration.ofMillis(1));
        }
    }

    @WithEventLoop(timeout = "500ms", scope = LoopScope.CLASS)
    static class ATaskBlocksOnALockHeldElsewhereOnAClassLoop extends ATaskBlocksOnALockHeldElsewhere {}

    @Test
    void aTaskBlockedInAnUninterruptibleCallFailsItsTestNamingTheFramesAndTheNextTestRuns() throws Exception {
        for (Class<?> fixture :
                new Class<?>[] {ATaskBlocksOnALockHeldElsewhere.class, ATaskBlocksOnALockHeldElsewhereOnAClassLoop.class
                }) {
            Events events;
            BLOCKED.clear();
            LOCK.lock();
            try {
                events = run(fixture);
            } finally {
                LOCK.unlock();
            }
            events.assertStatistics(stats -> stats.succeeded(1).failed(1));
            String test = fixture.getSimpleName() + ".a_takesTheLock()";
            assertThat(failureOf(events))
                    .isInstanceOf(LoopTimeoutError.class)
                    .hasMessageStartingWith("Test \"" + test + "\" did not complete within PT0.5S of real time: its"
                            + " coroutine blocked the event loop in a call that ignores interrupts and was still"
                            + " blocked PT1S after its thread was interrupted. The loop gave up its task (thread \""
                            + Thread.currentThread().getName() + " task\"), which is abandoned: the thread stays"
                            + " blocked until the call returns, and every await in it then throws. Blocking"
                            + " frames:\n  at ")
                    .hasMessageContaining("\n  at java.util.concurrent.locks.ReentrantLock.lock(")
                    .hasMessageContaining("\n  in your code at " + ATaskBlocksOnALockHeldElsewhere.class.getName())
                    .hasMessageEndingWith("\nA blocking call stops the whole loop: await a loop primitive (LoopLock,"
                            + " LoopQueue) instead, or move the blocking work to loop.runInExecutor(null, ...).");
            for (Thread thread : BLOCKED) {
                thread.join(Duration.ofSeconds(30).toMillis());
                assertThat(thread.isAlive())
                        .as("abandoned thread %s ended once the lock was free", thread)
                        .isFalse();
            }
        }
    }

    @WithEventLoop(timeout = "500ms")
    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class TheBodyBlocksOnALockHeldElsewhere {
        @Test
        void a_takesTheLock() {
            BLOCKED.add(Thread.currentThread());
            LOCK.lock(); // held by the engine test's thread: lock() ignores the interrupt
            LOCK.unlock();
        }

        @Test
        void b_runsNext() {
            Async.sleep(Duration.ofMillis(1));
        }
    }

    @WithEventLoop(timeout = "500ms", scope = LoopScope.CLASS)
    static class TheBodyBlocksOnALockHeldElsewhereOnAClassLoop extends TheBodyBlocksOnALockHeldElsewhere {}

    @Test
    void aBodyBlockedInAnUninterruptibleCallOnTheTestThreadFailsOnceTheCallReturnsAndTheNextTestRuns()
            throws Exception {
        for (Class<?> fixture : new Class<?>[] {
            TheBodyBlocksOnALockHeldElsewhere.class, TheBodyBlocksOnALockHeldElsewhereOnAClassLoop.class
        }) {
            BLOCKED.clear();
            AtomicReference<Events> events = new AtomicReference<>();
            Thread engine = new Thread(() -> events.set(run(fixture)), "engine of " + fixture.getSimpleName());
            String test = fixture.getSimpleName() + ".a_takesTheLock()";
            LOCK.lock();
            try (CapturedLog log = CapturedLog.of("dev.loopharness.junit")) {
                engine.start();
                // the body starts on the engine's thread; the watchdog interrupts it, then gives its step up and,
                // while the body is still blocked, logs why the run stands still
                Awaitility.await()
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> BLOCKED.contains(engine)
                                && log.records().stream()
                                        .anyMatch(record -> record.getMessage().startsWith("Test \"" + test + "\"")));
                assertThat(log.records())
                        .filteredOn(record -> record.getMessage().startsWith("Test \"" + test + "\""))
                        .singleElement()
                        .satisfies(record -> {
                            assertThat(record.getLevel()).isEqualTo(java.util.logging.Level.WARNING);
                            assertThat(record.getMessage())
                                    .contains("which nothing else can free: the test fails with this error once the"
                                            + " call returns")
                                    .contains("\n  at java.util.concurrent.locks.ReentrantLock.lock(");
                        });
            } finally {
                LOCK.unlock();
            }
            engine.join(Duration.ofSeconds(60).toMillis());
            assertThat(engine.isAlive()).as("the engine's thread ended").isFalse();
            events.get().assertStatistics(stats -> stats.succeeded(1).failed(1));
            assertThat(failureOf(events.get()))
                    .isInstanceOf(LoopTimeoutError.class)
                    .hasMessageStartingWith("Test \"" + test + "\" did not complete within PT0.5S of real time: its"
                            + " coroutine blocked the event loop in a call that ignores interrupts and was still"
                            + " blocked PT1S after its thread was interrupted. The body runs on the test's own"
                            + " thread (\"" + engine.getName() + "\"), which nothing else can free: the test fails"
                            + " with this error once the call returns. To have such a body abandoned at its timeout"
                            + " instead, run it with @WithEventLoop(body = BodyMode.COROUTINE_SEPARATE_THREAD)."
                            + " Blocking frames:\n  at ")
                    .hasMessageContaining("\n  at java.util.concurrent.locks.ReentrantLock.lock(")
                    .hasMessageContaining("\n  in your code at " + TheBodyBlocksOnALockHeldElsewhere.class.getName()
                            + ".a_takesTheLock(BlockedTestEngineTest.java:");
        }
    }

    // ---- body = COROUTINE_SEPARATE_THREAD: the body starts on a thread of the loop's, which can be abandoned ------

    @WithEventLoop(timeout = "500ms", body = BodyMode.COROUTINE_SEPARATE_THREAD)
    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class TheBodyBlocksOnASeparateThread extends TheBodyBlocksOnALockHeldElsewhere {}

    @WithEventLoop(timeout = "500ms", body = BodyMode.COROUTINE_SEPARATE_THREAD, scope = LoopScope.CLASS)
    static class TheBodyBlocksOnASeparateThreadOnAClassLoop extends TheBodyBlocksOnASeparateThread {}

    @Test
    void aBodyOnASeparateThreadBlockedInAnUninterruptibleCallIsAbandonedAndTheNextTestRuns() throws Exception {
        for (Class<?> fixture :
                new Class<?>[] {TheBodyBlocksOnASeparateThread.class, TheBodyBlocksOnASeparateThreadOnAClassLoop.class
                }) {
            BLOCKED.clear();
            Thread engineTestThread = Thread.currentThread();
            Events events = runWhileTheLockIsHeld(fixture);
            String test = fixture.getSimpleName() + ".a_takesTheLock()";
            assertThat(BLOCKED).doesNotContain(engineTestThread);
            assertThat(failureOf(events))
                    .isInstanceOf(LoopTimeoutError.class)
                    .hasMessageStartingWith("Test \"" + test + "\" did not complete within PT0.5S of real time: its"
                            + " coroutine blocked the event loop in a call that ignores interrupts and was still"
                            + " blocked PT1S after its thread was interrupted. The loop gave up its task (thread \""
                            + test + "\"), which is abandoned: the thread stays blocked until the call returns,"
                            + " and every await in it then throws. Blocking frames:\n  at ")
                    .hasMessageContaining("\n  at java.util.concurrent.locks.ReentrantLock.lock(")
                    .hasMessageContaining("\n  in your code at " + TheBodyBlocksOnALockHeldElsewhere.class.getName()
                            + ".a_takesTheLock(BlockedTestEngineTest.java:");
            assertTheAbandonedThreadsEnded();
        }
    }

    // ---- the same with body = TEST_THREAD: the body's thread is abandoned, the next test runs ----------------

    @WithEventLoop(timeout = "500ms", body = BodyMode.TEST_THREAD)
    @TestMethodOrder(MethodOrderer.MethodName.class)
    static class BlocksOnTheTestThread {
        @Test
        void a_takesTheLock() {
            BLOCKED.add(Thread.currentThread());
            LOCK.lock(); // held by the engine test's thread: lock() ignores the interrupt
            LOCK.unlock();
        }

        @Test
        void b_runsNext(EventLoop loop) {
            assertThat(loop.runUntilComplete(() -> {
                        Async.sleep(Duration.ofMillis(1));
                        return "ran";
                    }))
                    .isEqualTo("ran");
        }
    }

    @WithEventLoop(timeout = "500ms", body = BodyMode.TEST_THREAD, scope = LoopScope.CLASS)
    static class BlocksOnTheTestThreadOnAClassLoop extends BlocksOnTheTestThread {}

    @Test
    void aTestThreadBodyBlockedInAnUninterruptibleCallFailsNamingTheFramesAndTheNextTestRuns() throws Exception {
        for (Class<?> fixture : new Class<?>[] {BlocksOnTheTestThread.class, BlocksOnTheTestThreadOnAClassLoop.class}) {
            Events events = runWhileTheLockIsHeld(fixture);
            String test = fixture.getSimpleName() + ".a_takesTheLock()";
            assertThat(failureOf(events))
                    .isInstanceOf(LoopTimeoutError.class)
                    .hasMessageStartingWith("Test \"" + test + "\" did not complete within PT0.5S of real time: it"
                            + " ran on the test thread (body = TEST_THREAD) and blocked in a call that ignores"
                            + " interrupts, still blocked PT1S after its tasks were cancelled and the thread was"
                            + " interrupted. Thread \"loopharness body thread of @WithEventLoop(scope = ")
                    .hasMessageContaining("\" is abandoned: it stays blocked until the call returns; the next test"
                            + " runs on a new one. Blocking frames:\n  at ")
                    .hasMessageContaining("\n  at java.util.concurrent.locks.ReentrantLock.lock(")
                    .hasMessageContaining("\n  in your code at " + BlocksOnTheTestThread.class.getName()
                            + ".a_takesTheLock(BlockedTestEngineTest.java:")
                    .hasMessageEndingWith("\nA blocking call stops the whole loop: await a loop primitive (LoopLock,"
                            + " LoopQueue) instead, or move the blocking work to loop.runInExecutor(null, ...).");
        }
        assertTheAbandonedThreadsEnded();
    }

    /** Runs a fixture while the engine test holds the lock its first test blocks on: one fails, the next passes. */
    private static Events runWhileTheLockIsHeld(Class<?> fixture) {
        Events events;
        LOCK.lock();
        try {
            events = run(fixture);
        } finally {
            LOCK.unlock();
        }
        events.assertStatistics(stats -> stats.succeeded(1).failed(1));
        return events;
    }

    private static void assertTheAbandonedThreadsEnded() throws InterruptedException {
        for (Thread thread : BLOCKED) {
            thread.join(Duration.ofSeconds(30).toMillis());
            assertThat(thread.isAlive())
                    .as("abandoned thread %s ended once the lock was free", thread)
                    .isFalse();
        }
    }
}
