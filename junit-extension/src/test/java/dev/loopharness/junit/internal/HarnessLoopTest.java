package dev.loopharness.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopharness.Async;
import dev.loopharness.Coroutine;
import dev.loopharness.EventLoop;
import dev.loopharness.EventLoopClosedException;
import dev.loopharness.EventLoops;
import dev.loopharness.LoopFuture;
import dev.loopharness.Task;
import dev.loopharness.TimerHandle;
import dev.loopharness.VirtualTimeDeadlockException;
import dev.loopharness.junit.ClockMode;
import dev.loopharness.junit.LoopCallbackError;
import dev.loopharness.junit.LoopTimeoutError;
import dev.loopharness.testing.CapturedLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop the harness owns, driven directly as the extension drives it: run, check, cancel, close. */
class HarnessLoopTest {

    private static final String OWNER = "@WithEventLoop(scope = CLASS) for HarnessLoopTest";
    private static final Duration LONG_ENOUGH = Duration.ofSeconds(60);
    private static final Object TEST_A = "test a";
    private static final Object TEST_B = "test b";

    private final Watchdog watchdog = new Watchdog();
    private final HarnessLoop harness = new HarnessLoop(ClockMode.REAL, true, OWNER);

    @AfterEach
    void closeEverything() {
        harness.close();
        watchdog.close();
    }

    private void run(Object tag, String name, Coroutine<Object> body) {
        harness.run(body, tag, name, LONG_ENOUGH, watchdog, true);
    }

    private static Coroutine<Object> body(Runnable steps) {
        return () -> {
            steps.run();
            return null;
        };
    }

    @Test
    void aBodyRunsAsANamedCoroutineOnTheLoop() {
        AtomicReference<EventLoop> running = new AtomicReference<>();
        AtomicReference<String> taskName = new AtomicReference<>();

        run(TEST_A, "a()", body(() -> {
            Async.sleep(Duration.ZERO);
            running.set(EventLoops.getRunningLoop());
            taskName.set(Async.currentTask().getName());
        }));

        assertThat(running.get()).isSameAs(harness.loop());
        assertThat(taskName.get()).isEqualTo("a()");
        assertThat(harness.loop().isRunning()).isFalse();
        assertThat(harness.virtualClock()).isNull();
    }

    @Test
    void aBodysFailureComesBackToTheCaller() {
        assertThatThrownBy(() -> run(TEST_A, "a()", body(() -> {
                    Async.sleep(Duration.ZERO);
                    throw new AssertionError("expected 2 but was 3");
                })))
                .isInstanceOf(AssertionError.class)
                .hasMessage("expected 2 but was 3");
        assertThat(harness.check(TEST_A, "a()").leaked()).isFalse();
    }

    @Test
    void whatATestLeavesBehindIsReportedToThatTestAlone() {
        AtomicReference<Task<Object>> leftTask = new AtomicReference<>();
        AtomicReference<TimerHandle> leftTimer = new AtomicReference<>();
        run(TEST_A, "a()", body(() -> {
            EventLoop loop = EventLoops.getRunningLoop();
            LoopFuture<Object> never = loop.createFuture();
            leftTask.set(loop.createTask(() -> Async.await(never)));
            leftTimer.set(loop.callLater(Duration.ofHours(1), () -> {}));
            Async.sleep(Duration.ZERO);
        }));
        run(TEST_B, "b()", body(() -> Async.sleep(Duration.ZERO)));

        HarnessLoop.LeakCheck ofB = harness.check(TEST_B, "b()");
        HarnessLoop.LeakCheck ofA = harness.check(TEST_A, "a()");

        assertThat(ofB.leaked()).isFalse();
        assertThat(ofA.leaked()).isTrue();
        assertThat(ofA.tasks()).containsExactly(leftTask.get());
        assertThat(ofA.timers()).containsExactly(leftTimer.get());
        assertThat(ofA.callbackError()).isNull();

        harness.cancel(ofA);

        assertThat(leftTask.get().isCancelled()).isTrue();
        assertThat(leftTimer.get().isCancelled()).isTrue();
        assertThat(harness.check(TEST_A, "a()").leaked()).isFalse();
    }

    @Test
    void aCallbacksErrorFailsTheTestThatScheduledIt() {
        IllegalStateException broken = new IllegalStateException("callback broke");
        run(TEST_A, "a()", body(() -> {
            EventLoops.getRunningLoop().callSoon(() -> {
                throw broken;
            });
            Async.sleep(Duration.ZERO);
        }));

        assertThat(harness.check(TEST_B, "b()").callbackError()).isNull();
        LoopCallbackError error = harness.check(TEST_A, "a()").callbackError();

        assertThat(error)
                .hasMessageStartingWith(
                        "1 error reached the event loop's exception handler during test \"a()\":\n  1. ")
                .hasMessageContaining(": java.lang.IllegalStateException: callback broke")
                .hasMessageEndingWith("Each is attached as suppressed. Handle failures where they happen, and await"
                        + " the tasks you start so that their exceptions are retrieved.");
        assertThat(error.getSuppressed()).containsExactly(broken);
        assertThat(harness.check(TEST_A, "a()").callbackError())
                .as("a report is handed out once")
                .isNull();
    }

    @Test
    void aTaskWhoseFailureNobodyRetrievedFailsTheTestThatStartedIt() {
        IllegalArgumentException dropped = new IllegalArgumentException("nobody looked");
        run(TEST_A, "a()", body(() -> {
            EventLoops.getRunningLoop().createTask(() -> {
                throw dropped;
            });
            Async.sleep(Duration.ZERO);
            Async.sleep(Duration.ZERO);
        }));

        LoopCallbackError error = harness.check(TEST_A, "a()").callbackError();

        assertThat(error).hasMessageContaining("1. Task exception was never retrieved: " + dropped);
        assertThat(error.getSuppressed()).containsExactly(dropped);
    }

    @Test
    void testsCannotCloseOrStopTheOwnersLoop() {
        EventLoop loop = harness.loop();

        assertThatThrownBy(loop::close)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(guardMessage(loop, "close"));
        run(TEST_A, "a()", body(() -> {
            assertThatThrownBy(loop::close)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage(guardMessage(loop, "close"));
            assertThatThrownBy(loop::stop)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage(guardMessage(loop, "stop"));
        }));
        assertThat(loop.isClosed()).isFalse();
    }

    /** The guard's message, with the loop as it describes itself now (running or not). */
    private static String guardMessage(EventLoop loop, String operation) {
        return "Cannot " + operation + " " + loop + ": it is owned by " + OWNER + ", which closes it when its scope"
                + " ends. Create a loop of your own with EventLoops.newEventLoop() if you need to " + operation
                + " one.";
    }

    @Test
    void closingShutsTheLoopDownAndNamesTheOwnerAsTheCloser() {
        AtomicReference<Task<Object>> leftTask = new AtomicReference<>();
        run(TEST_A, "a()", body(() -> {
            LoopFuture<Object> never = EventLoops.getRunningLoop().createFuture();
            leftTask.set(EventLoops.getRunningLoop().createTask(() -> Async.await(never)));
            Async.sleep(Duration.ZERO);
        }));
        EventLoop loop = harness.loop();

        harness.close();

        assertThat(loop.isClosed()).isTrue();
        assertThat(leftTask.get().isCancelled())
                .as("asyncio's shutdown cancels what is left")
                .isTrue();
        assertThatThrownBy(() -> loop.callSoon(() -> {}))
                .isInstanceOf(EventLoopClosedException.class)
                .hasMessageContaining("was closed by " + OWNER + " when its scope ended")
                .satisfies(closed -> assertThat(((EventLoopClosedException) closed).closedAt())
                        .isEmpty());
    }

    @Test
    void aTestOverItsTimeoutFailsWithADumpOfWhatIsPending() {
        Duration timeout = Duration.ofMillis(200);

        assertThatThrownBy(() -> harness.run(
                        () -> Async.await(EventLoops.getRunningLoop().createFuture()),
                        TEST_A,
                        "hangs()",
                        timeout,
                        watchdog,
                        true))
                .isInstanceOf(LoopTimeoutError.class)
                .hasMessageStartingWith("Test \"hangs()\" did not complete within PT0.2S of real time and was"
                        + " cancelled. Pending on its event loop: 1 task and 0 timers.\n  ")
                .hasMessageContaining("hangs()")
                .hasMessageEndingWith("or use clock = VIRTUAL so that sleeps take no real time.");
        assertThat(harness.check(TEST_A, "hangs()").leaked()).isFalse();
    }

    @Test
    void aTestBlockingTheLoopPastItsTimeoutIsInterrupted() {
        AtomicReference<Throwable> seenByTheBody = new AtomicReference<>();

        assertThatThrownBy(() -> harness.run(
                        () -> {
                            try {
                                Thread.sleep(TimeUnit.MINUTES.toMillis(5));
                            } catch (InterruptedException interrupted) {
                                seenByTheBody.set(interrupted);
                                throw interrupted;
                            }
                            return null;
                        },
                        TEST_A,
                        "blocks()",
                        Duration.ofMillis(100),
                        watchdog,
                        true))
                .isInstanceOf(LoopTimeoutError.class)
                .hasMessageStartingWith("Test \"blocks()\" did not complete within PT0.1S of real time, and its"
                        + " coroutine blocked the event loop at ")
                .hasMessageContaining("so its thread was interrupted. A blocking call stops the whole loop")
                .satisfies(timedOut -> assertThat(timedOut.getSuppressed())
                        .as("the interrupt the body saw, attached")
                        .containsExactly(seenByTheBody.get()));
        assertThat(seenByTheBody.get()).isInstanceOf(InterruptedException.class);
    }

    @Test
    void inVirtualTimeADeadlockFailsAtOnceAndTheTaskIsCancelled() {
        HarnessLoop virtual = new HarnessLoop(ClockMode.VIRTUAL, true, OWNER);
        try {
            AtomicReference<Task<?>> test = new AtomicReference<>();
            long start = virtual.loop().time();

            assertThatThrownBy(() -> virtual.run(
                            () -> {
                                test.set(Async.currentTask());
                                Async.sleep(Duration.ofHours(2));
                                return Async.await(EventLoops.getRunningLoop().createFuture());
                            },
                            TEST_A,
                            "deadlocks()",
                            LONG_ENOUGH,
                            watchdog,
                            true))
                    .isInstanceOf(VirtualTimeDeadlockException.class)
                    .hasMessageStartingWith("Deadlock in virtual time on <EventLoop-")
                    .hasMessageContaining(
                            "1 task waits for something that nothing will complete:\n  task 'deadlocks()'");

            assertThat(virtual.virtualClock()).isNotNull();
            assertThat(virtual.loop().time() - start)
                    .isEqualTo(Duration.ofHours(2).toNanos());
            assertThat(test.get().isCancelled()).isTrue();
        } finally {
            virtual.close();
        }
    }

    @Test
    void testsOnOneLoopFromTwoThreadsTakeTurnsInsteadOfFailingAsAlreadyRunning() throws Exception {
        List<String> steps = new CopyOnWriteArrayList<>();
        CountDownLatch firstInside = new CountDownLatch(1);
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        Thread first = new Thread(() -> {
            try {
                run(TEST_A, "a()", body(() -> {
                    steps.add("a starts");
                    firstInside.countDown();
                    Async.sleep(Duration.ofMillis(100));
                    steps.add("a ends");
                }));
            } catch (Throwable failure) {
                firstFailure.set(failure);
                firstInside.countDown();
            }
        });
        first.start();
        assertThat(firstInside.await(30, TimeUnit.SECONDS)).isTrue();

        run(TEST_B, "b()", body(() -> steps.add("b runs")));
        first.join(30_000);

        assertThat(firstFailure.get()).isNull();
        assertThat(first.isAlive()).isFalse();
        assertThat(steps).containsExactly("a starts", "a ends", "b runs");
    }

    @Test
    void workPostedFromAnotherThreadWhileNoTestRunsIsTheScopesNotTheNextTests() throws InterruptedException {
        Thread worker =
                new Thread(() -> harness.loop().execute(() -> harness.loop().callLater(LONG_ENOUGH, () -> {})));
        worker.start();
        worker.join();

        run(TEST_B, "b()", body(() -> Async.sleep(Duration.ZERO)));

        assertThat(harness.check(TEST_B, "b()").leaked()).isFalse();
        HarnessLoop.LeakCheck scope = harness.checkScope(TEST_A, "the class");
        assertThat(scope.timers()).hasSize(1);
        assertThat(scope.tasks()).isEmpty();
    }

    @Test
    void workPostedFromAnotherThreadWhileATestRunsIsThatTests() throws InterruptedException {
        run(TEST_A, "a()", body(() -> {
            Thread worker =
                    new Thread(() -> harness.loop().execute(() -> harness.loop().callLater(LONG_ENOUGH, () -> {})));
            worker.start();
            try {
                worker.join();
            } catch (InterruptedException interrupted) {
                throw new AssertionError(interrupted);
            }
            Async.sleep(Duration.ZERO);
        }));

        assertThat(harness.check(TEST_A, "a()").timers()).hasSize(1);
    }

    @Test
    void workPostedAfterTheLastTestAndDroppedAtCloseIsReported() throws InterruptedException {
        HarnessLoop closing = new HarnessLoop(ClockMode.REAL, false, OWNER);
        Thread late = new Thread(() -> closing.loop().execute(() -> {}), "late-reply");
        late.start();
        late.join();
        try (CapturedLog log = CapturedLog.of("dev.loopharness.junit")) {
            closing.close();
            assertThat(log.records())
                    .singleElement()
                    .satisfies(record -> assertThat(record.getMessage())
                            .startsWith(closing.loop().toString().replace("not running", "closed") + " was closed by "
                                    + OWNER
                                    + " with work that never ran: 0 callbacks, 0 timers, 1 callbacks from other threads,"
                                    + " 0 executor-view tasks.")
                            .endsWith("stop that work before the scope ends."));
        }
    }
}
