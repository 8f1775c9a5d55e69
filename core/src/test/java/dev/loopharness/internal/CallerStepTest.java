package dev.loopharness.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopharness.Async;
import dev.loopharness.ContextVar;
import dev.loopharness.EventLoop;
import dev.loopharness.EventLoops;
import dev.loopharness.ExceptionContext;
import dev.loopharness.LoopClock;
import dev.loopharness.LoopFuture;
import dev.loopharness.Task;
import dev.loopharness.VirtualClock;
import dev.loopharness.VirtualTimeDeadlockException;
import dev.loopharness.spi.OwnedLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A task whose first step runs on the thread that runs the loop ({@code createTaskOnCaller}): no hand-off while
 * it does not suspend, a driver that takes the run over when it does, one thread on the loop at a time.
 */
class CallerStepTest {

    private static final Object TAG = "test";

    @Test
    void aCoroutineThatDoesNotSuspendRunsOnTheCallerAndNoCarrierIsHandedOut() {
        OwnedLoop owned = LoopHooks.create(LoopClock.system());
        try (EventLoop loop = owned.loop()) {
            Thread caller = Thread.currentThread();
            long carriers = TaskRunner.carriersHandedOut();
            Task<Thread> task = owned.createTaskOnCaller(
                    () -> {
                        assertThat(EventLoops.getRunningLoop()).isSameAs(loop);
                        assertThat(Async.currentTask()).isNotNull();
                        return Thread.currentThread();
                    },
                    TAG);

            assertThat(loop.runUntilComplete(task)).isSameAs(caller);
            assertThat(TaskRunner.carriersHandedOut()).isEqualTo(carriers);
            assertThat(loop.isRunning()).isFalse();
            assertThat(caller.getName()).isNotEqualTo(task.getName());
        }
    }

    @Test
    void aCoroutineThatSuspendsGoesOnOnTheCallerWhileADriverRunsTheLoopInOrder() {
        OwnedLoop owned = LoopHooks.create(LoopClock.system());
        try (EventLoop loop = owned.loop()) {
            Thread caller = Thread.currentThread();
            List<String> order = new CopyOnWriteArrayList<>();
            AtomicReference<Thread> callbackThread = new AtomicReference<>();
            long carriers = TaskRunner.carriersHandedOut();
            Task<Thread> task = owned.createTaskOnCaller(
                    () -> {
                        order.add("body starts");
                        loop.callSoon(() -> {
                            callbackThread.set(Thread.currentThread());
                            order.add("callback");
                        });
                        Async.sleep(Duration.ZERO);
                        order.add("body resumes");
                        LoopFuture<String> later = loop.createFuture();
                        loop.callLater(Duration.ofMillis(1), () -> later.setResult("timer"));
                        order.add(Async.await(later));
                        return Thread.currentThread();
                    },
                    TAG);

            assertThat(loop.runUntilComplete(task)).isSameAs(caller);
            assertThat(order).containsExactly("body starts", "callback", "body resumes", "timer");
            assertThat(callbackThread.get())
                    .as("the driver ran the loop meanwhile")
                    .isNotSameAs(caller);
            assertThat(TaskRunner.carriersHandedOut() - carriers)
                    .as("one driver")
                    .isEqualTo(1);
            assertThat(loop.isRunning()).isFalse();
            assertThat(CurrentLoop.running()).isNull();
        }
    }

    @Test
    void inDebugModeTheLoopStaysConfinedToTheThreadThatHoldsIt() throws Exception {
        OwnedLoop owned = LoopHooks.create(LoopClock.system());
        try (EventLoop loop = owned.loop()) {
            loop.setDebug(true);
            CountDownLatch suspended = new CountDownLatch(1);
            AtomicReference<Throwable> fromOutside = new AtomicReference<>();
            Task<String> task = owned.createTaskOnCaller(
                    () -> {
                        loop.callSoon(() -> {}); // allowed: the caller holds the loop in its first step
                        LoopFuture<String> released = loop.createFuture();
                        Thread outsider = new Thread(() -> {
                            try {
                                suspended.await();
                                loop.callSoon(() -> {});
                            } catch (Throwable refused) {
                                fromOutside.set(refused);
                            }
                            loop.callSoonThreadsafe(() -> released.setResult("done"));
                        });
                        outsider.start();
                        loop.callSoon(suspended::countDown);
                        String result = Async.await(released);
                        outsider.join();
                        loop.callSoon(() -> {}); // allowed again: the driver handed the loop back for this step
                        return result;
                    },
                    TAG);

            assertThat(loop.runUntilComplete(task)).isEqualTo("done");
            assertThat(fromOutside.get())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Non-thread-safe operation callSoon() invoked from thread \"Thread-");
        }
    }

    @Test
    void inDebugModeAFirstStepThatStartsAfterTheOwnersFirstSampleIsStillSampledWhenItIsDue() throws Exception {
        OwnedLoop owned = LoopHooks.create(LoopClock.system());
        try (EventLoop loop = owned.loop()) {
            loop.setDebug(true);
            loop.setSlowCallbackDuration(Duration.ofMillis(150));
            List<ExceptionContext> reports = new CopyOnWriteArrayList<>();
            loop.setExceptionHandler((l, context) -> reports.add(context));
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch sampled = new CountDownLatch(1);
            Task<String> task = owned.createTaskOnCaller(
                    () -> {
                        started.countDown();
                        assertThat(sampled.await(30, TimeUnit.SECONDS)).isTrue(); // blocks the loop until sampled
                        return "done";
                    },
                    TAG);
            // the owner's timer fires before the run reaches the step (a late start under load): not due yet
            assertThat(owned.sampleCallerStep()).isEqualTo(Duration.ofMillis(150));
            List<Duration> askedAgain = new CopyOnWriteArrayList<>();
            Thread owner = new Thread(() -> {
                try {
                    started.await();
                    long seenStarted = System.nanoTime(); // the step has run at least as long as this says
                    boolean due = false;
                    while (!due) { // follows the loop's answers until a call made once the step was due
                        due = System.nanoTime() - seenStarted
                                >= Duration.ofMillis(150).toNanos();
                        Duration again = owned.sampleCallerStep();
                        askedAgain.add(again);
                        Thread.sleep(again.toMillis() + 1);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    sampled.countDown();
                }
            });
            owner.start();

            assertThat(loop.runUntilComplete(task)).isEqualTo("done");
            owner.join();
            assertThat(askedAgain)
                    .allSatisfy(again -> assertThat(again).isPositive().isLessThanOrEqualTo(Duration.ofMillis(150)));
            assertThat(owned.sampleCallerStep()).isNull(); // the step has ended: nothing left to sample
            assertThat(reports)
                    .singleElement()
                    .satisfies(report -> assertThat(report.message())
                            .startsWith("Executing <Task '" + task.getName() + "' pending> took ")
                            .contains(" seconds; it was blocking at ")
                            .contains("Blocking calls stop the whole loop"));
        }
    }

    @Test
    void theCallersContextAndDefaultLoopAreTheSameAfterTheRun() throws Exception {
        ContextVar<String> variable = ContextVar.named("who", "nobody");
        EventLoop callersDefault = EventLoops.newEventLoop();
        EventLoops.setEventLoop(callersDefault);
        OwnedLoop owned = LoopHooks.create(LoopClock.system());
        try (EventLoop loop = owned.loop()) {
            ContextVar.Token<String> token = variable.set("caller");
            Task<String> task = owned.createTaskOnCaller(
                    () -> {
                        String seen = variable.get();
                        variable.set("body");
                        EventLoops.setEventLoop(null);
                        return seen;
                    },
                    TAG);

            assertThat(loop.runUntilComplete(task)).isEqualTo("caller");
            assertThat(variable.get()).isEqualTo("caller");
            assertThat(CurrentLoop.defaultLoop()).isSameAs(callersDefault);
            variable.reset(token);
        } finally {
            EventLoops.setEventLoop(null);
            callersDefault.close();
        }
    }

    @Test
    void aRunThatEndsBeforeTheTaskCancelsItAndRunsUntilItEndedBeforeTheCallerGoesOn() {
        OwnedLoop owned = LoopHooks.create(new VirtualClock());
        try (EventLoop loop = owned.loop()) {
            AtomicBoolean unwound = new AtomicBoolean();
            LoopFuture<String> never = loop.createFuture();
            Task<String> task = owned.createTaskOnCaller(
                    () -> {
                        try {
                            return Async.await(never);
                        } finally {
                            unwound.set(true);
                        }
                    },
                    TAG);

            assertThatThrownBy(() -> loop.runUntilComplete(task)).isInstanceOf(VirtualTimeDeadlockException.class);
            assertThat(task.isCancelled()).isTrue();
            assertThat(unwound).isTrue();
            assertThatThrownBy(task::result)
                    .isInstanceOf(CancellationException.class)
                    .hasMessage("Task " + task.getName() + " was cancelled: the run of its loop ended before it did");
            assertThat(loop.isRunning()).isFalse();
        }
    }

    @Test
    void aStepIsTakenOnTheCallerOnlyWhenItIsTheOnlyWorkReady() {
        OwnedLoop owned = LoopHooks.create(LoopClock.system());
        try (EventLoop loop = owned.loop()) {
            List<String> order = new CopyOnWriteArrayList<>();
            loop.callSoon(() -> order.add("earlier callback"));
            Task<Thread> task = owned.createTaskOnCaller(
                    () -> {
                        order.add("body");
                        return Thread.currentThread();
                    },
                    TAG);

            assertThat(loop.runUntilComplete(task)).isNotSameAs(Thread.currentThread());
            assertThat(order).containsExactly("earlier callback", "body");
        }
    }

    @Test
    void anInterruptForATaskStepNeverReachesItsThreadOnceTheTaskHasEnded() throws Exception {
        HandOff handOff = new HandOff("loop");
        handOff.enter(Thread.currentThread());
        CountDownLatch stepRuns = new CountDownLatch(1);
        CountDownLatch left = new CountDownLatch(1);
        CountDownLatch checked = new CountDownLatch(1);
        AtomicBoolean interruptedAfterLeaving = new AtomicBoolean();
        Thread taskThread = new Thread(() -> {
            try {
                stepRuns.countDown();
                checked.await(); // the first interrupt arrives while the step runs: the await ends at once
            } catch (InterruptedException expected) {
                // the watchdog's interrupt, meant for this step
            }
            handOff.taskThreadLeaving();
            left.countDown();
            try {
                checked.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException wrong) {
                interruptedAfterLeaving.set(true);
            }
            interruptedAfterLeaving.compareAndSet(false, Thread.currentThread().isInterrupted());
        });
        handOff.handOver(taskThread, () -> {
            try {
                taskThread.start();
                stepRuns.await();
                assertThat(handOff.interruptTaskStep(taskThread)).isTrue();
                left.await();
                // the thread still owns the loop (its step has not handed back), but its task has ended
                assertThat(handOff.runningTaskThread()).isSameAs(taskThread);
                assertThat(handOff.interruptTaskStep(taskThread)).isFalse();
                checked.countDown();
                taskThread.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(interruptedAfterLeaving).isFalse();
        assertThat(handOff.interruptTaskStep(taskThread)).isFalse();
    }
}
