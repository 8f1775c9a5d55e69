package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** callSoon, callLater, callAt and their handles; callbacks from other threads; callback failures. */
class CallbackSchedulingTest {

    /** How long a test waits for another thread before it gives up: a guard against hanging, not a timing. */
    private static final long PATIENCE_SECONDS = 30;

    private final List<EventLoop> loops = new ArrayList<>();
    private final List<ExceptionContext> reports = new CopyOnWriteArrayList<>();
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeLoops() {
        loops.forEach(EventLoop::close);
    }

    private EventLoop newLoop() {
        return track(EventLoops.newEventLoop());
    }

    private EventLoop newVirtualLoop() {
        return track(EventLoops.newEventLoop(new VirtualClock()));
    }

    private EventLoop track(EventLoop loop) {
        loop.setExceptionHandler((l, context) -> reports.add(context));
        loops.add(loop);
        return loop;
    }

    private static void runOnce(EventLoop loop) {
        loop.stop();
        loop.runForever();
    }

    private Runnable record(String name) {
        return () -> ran.add(name);
    }

    // ---- callSoon ------------------------------------------------------------------------------------------

    @Test
    void callSoonRunsCallbacksInTheOrderTheyWereScheduled() {
        EventLoop loop = newLoop();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            int n = i;
            loop.callSoon(() -> order.add(n));
        }

        runOnce(loop);

        assertThat(order)
                .containsExactlyElementsOf(IntStream.range(0, 1000).boxed().toList());
    }

    @Test
    void aCallbackScheduledByACallbackRunsOnTheNextIteration() {
        EventLoop loop = newLoop();
        loop.callSoon(() -> {
            ran.add("first");
            loop.callSoon(record("scheduled by first"));
        });
        loop.callSoon(record("second"));

        runOnce(loop);
        assertThat(ran).containsExactly("first", "second");

        runOnce(loop);
        assertThat(ran).containsExactly("first", "second", "scheduled by first");
    }

    // ---- handles -------------------------------------------------------------------------------------------

    @Test
    void aCancelledHandleNeverRuns() {
        EventLoop loop = newLoop();
        Handle handle = loop.callSoon(record("cancelled"));
        loop.callSoon(record("kept"));

        assertThat(handle.isCancelled()).isFalse();
        handle.cancel();
        handle.cancel();
        runOnce(loop);

        assertThat(handle.isCancelled()).isTrue();
        assertThat(ran).containsExactly("kept");
    }

    @Test
    void aCallbackCanCancelACallbackLaterInTheSameBatch() {
        EventLoop loop = newLoop();
        AtomicReference<Handle> victim = new AtomicReference<>();
        loop.callSoon(() -> victim.get().cancel());
        victim.set(loop.callSoon(record("victim")));
        loop.callSoon(record("survivor"));

        runOnce(loop);

        assertThat(ran).containsExactly("survivor");
    }

    @Test
    void aCancelledTimerNeverRunsAndTheClockSkipsIt() {
        EventLoop loop = newVirtualLoop();
        TimerHandle cancelled = loop.callLater(Duration.ofSeconds(1), record("cancelled"));
        loop.callLater(Duration.ofSeconds(2), () -> {
            ran.add("at " + Duration.ofNanos(loop.time()));
            loop.stop();
        });

        cancelled.cancel();
        loop.runForever();

        assertThat(cancelled.isCancelled()).isTrue();
        assertThat(ran).containsExactly("at PT2S");
    }

    @Test
    void aTimerCanBeCancelledAfterItWasMovedToTheReadyQueue() {
        EventLoop loop = newVirtualLoop();
        AtomicReference<TimerHandle> victim = new AtomicReference<>();
        loop.callAt(5, () -> victim.get().cancel());
        victim.set(loop.callAt(5, record("victim")));
        loop.callAt(5, record("survivor"));

        loop.callAt(6, loop::stop);
        loop.runForever();

        assertThat(ran).containsExactly("survivor");
    }

    @Test
    void cancellingAHandleThatRanChangesNothing() {
        EventLoop loop = newLoop();
        Handle handle = loop.callSoon(record("ran"));
        runOnce(loop);

        handle.cancel();
        runOnce(loop);

        assertThat(ran).containsExactly("ran");
        assertThat(reports).isEmpty();
    }

    // ---- callLater and callAt ------------------------------------------------------------------------------

    @Test
    void timersRunByDeadlineThenInSchedulingOrder() {
        EventLoop loop = newVirtualLoop();
        loop.callAt(30, record("c at 30"));
        loop.callAt(10, record("a1 at 10"));
        loop.callAt(20, record("b at 20"));
        loop.callAt(10, record("a2 at 10"));
        TimerHandle later = loop.callLater(Duration.ofNanos(10), record("a3 at 10"));
        loop.callAt(30, loop::stop);

        loop.runForever();

        assertThat(later.when()).isEqualTo(10);
        assertThat(ran).containsExactly("a1 at 10", "a2 at 10", "a3 at 10", "b at 20", "c at 30");
        assertThat(loop.time()).isEqualTo(30);
    }

    @Test
    void timersDueAtTheSameTimeRunInOneIterationAfterTheCallbacksAlreadyReady() {
        EventLoop loop = newVirtualLoop();
        loop.callAt(0, record("timer 1"));
        loop.callSoon(record("soon 1"));
        loop.callAt(0, record("timer 2"));
        loop.callSoon(record("soon 2"));

        runOnce(loop);

        assertThat(ran).containsExactly("soon 1", "soon 2", "timer 1", "timer 2");
    }

    @Test
    void aZeroOrNegativeDelayRunsOnTheNextIteration() {
        EventLoop loop = newVirtualLoop();
        TimerHandle zero = loop.callLater(Duration.ZERO, record("zero delay"));
        TimerHandle negative = loop.callLater(Duration.ofSeconds(-5), record("negative delay"));
        TimerHandle past = loop.callAt(-1, record("deadline in the past"));
        loop.callSoon(record("soon"));

        runOnce(loop);

        assertThat(zero.when()).isZero();
        assertThat(negative.when()).isEqualTo(-5_000_000_000L);
        assertThat(ran).containsExactly("soon", "negative delay", "deadline in the past", "zero delay");
        assertThat(loop.time()).isZero();
    }

    @Test
    void aZeroDelayRunsOnTheNextIterationOnTheRealClock() {
        EventLoop loop = newLoop();
        loop.callLater(Duration.ZERO, record("zero delay"));
        loop.callLater(Duration.ofMillis(-1), record("negative delay"));

        runOnce(loop);

        assertThat(ran).containsExactlyInAnyOrder("zero delay", "negative delay");
    }

    @Test
    void aDelayTooLargeForNanosecondsSaturates() {
        EventLoop loop = newVirtualLoop();

        TimerHandle huge = loop.callLater(Duration.ofSeconds(Long.MAX_VALUE), record("huge"));
        TimerHandle largest = loop.callLater(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), record("largest"));
        loop.callLater(Duration.ofSeconds(1), () -> {
            ran.add("one second");
            loop.stop();
        });
        loop.runForever();

        assertThat(huge.when()).isEqualTo(Long.MAX_VALUE);
        assertThat(largest.when()).isEqualTo(Long.MAX_VALUE);
        assertThat(ran).containsExactly("one second");
    }

    @Test
    void aSaturatedTimerIsNeverDueOnTheRealClock() {
        EventLoop loop = newLoop();
        TimerHandle huge = loop.callLater(Duration.ofSeconds(Long.MAX_VALUE), record("huge"));

        for (int i = 0; i < 3; i++) {
            runOnce(loop);
        }

        assertThat(huge.when()).isGreaterThan(loop.time());
        assertThat(ran).isEmpty();
        assertThat(huge.isCancelled()).isFalse();
    }

    // ---- argument checks -----------------------------------------------------------------------------------

    static Stream<Arguments> nullArguments() {
        EventLoop loop = EventLoops.newEventLoop();
        loop.close();
        // a closed loop: the null check comes first, so the message is about the argument
        return Stream.of(
                Arguments.of("callSoon", (ThrowingCallable) () -> loop.callSoon(null), "callback must not be null"),
                Arguments.of(
                        "callSoonThreadsafe",
                        (ThrowingCallable) () -> loop.callSoonThreadsafe(null),
                        "callback must not be null"),
                Arguments.of("execute", (ThrowingCallable) () -> loop.execute(null), "command must not be null"),
                Arguments.of(
                        "callLater(null, callback)",
                        (ThrowingCallable) () -> loop.callLater(null, () -> {}),
                        "delay must not be null"),
                Arguments.of(
                        "callLater(delay, null)",
                        (ThrowingCallable) () -> loop.callLater(Duration.ZERO, null),
                        "callback must not be null"),
                Arguments.of("callAt", (ThrowingCallable) () -> loop.callAt(0, null), "callback must not be null"),
                Arguments.of(
                        "newEventLoop(null)",
                        (ThrowingCallable) () -> EventLoops.newEventLoop(null),
                        "clock must not be null"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nullArguments")
    void aNullArgumentIsRefusedWithItsName(String call, ThrowingCallable action, String message) {
        assertThatThrownBy(action)
                .isExactlyInstanceOf(NullPointerException.class)
                .hasMessage(message);
    }

    // ---- other threads -------------------------------------------------------------------------------------

    /** A loop running forever on a thread of its own, for tests that feed it from this thread. */
    private final class Background implements AutoCloseable {
        final EventLoop loop = newLoop();
        final AtomicReference<Thread> loopThread = new AtomicReference<>();
        private final Thread runner = new Thread(loop::runForever, "loop-runner");

        Background start() throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            loop.callSoon(() -> {
                loopThread.set(Thread.currentThread());
                started.countDown();
            });
            runner.start();
            assertThat(started.await(PATIENCE_SECONDS, TimeUnit.SECONDS))
                    .as("the loop started")
                    .isTrue();
            return this;
        }

        @Override
        public void close() {
            loop.execute(loop::stop);
            try {
                runner.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(runner.isAlive()).as("the loop thread ended").isFalse();
        }
    }

    @Test
    void callSoonThreadsafeAndExecuteWakeALoopThatWaitsWithNothingToDo() throws InterruptedException {
        try (Background background = new Background().start()) {
            EventLoop loop = background.loop;
            for (int i = 0; i < 2000; i++) {
                CountDownLatch done = new CountDownLatch(1);
                AtomicReference<Thread> ranOn = new AtomicReference<>();
                Runnable callback = () -> {
                    ranOn.set(Thread.currentThread());
                    done.countDown();
                };
                if (i % 2 == 0) {
                    loop.callSoonThreadsafe(callback);
                } else {
                    loop.execute(callback);
                }
                assertThat(done.await(PATIENCE_SECONDS, TimeUnit.SECONDS))
                        .as("callback %d woke the waiting loop", i)
                        .isTrue();
                assertThat(ranOn.get()).isSameAs(background.loopThread.get());
            }
        }
        assertThat(reports).isEmpty();
    }

    @Test
    void severalThreadsWakingTheWaitingLoopAtOnceAllHaveTheirCallbacksRun() throws InterruptedException {
        int threads = 3;
        int rounds = 1000;
        AtomicInteger ran = new AtomicInteger();
        CyclicBarrier together = new CyclicBarrier(threads);
        List<String> failures = new CopyOnWriteArrayList<>();
        try (Background background = new Background().start()) {
            List<Thread> producers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread producer = new Thread(() -> {
                    try {
                        for (int round = 0; round < rounds; round++) {
                            // between rounds the loop has run everything and parks: all threads wake it at once
                            together.await(PATIENCE_SECONDS, TimeUnit.SECONDS);
                            CountDownLatch mine = new CountDownLatch(1);
                            background.loop.callSoonThreadsafe(() -> {
                                ran.incrementAndGet();
                                mine.countDown();
                            });
                            if (!mine.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                                failures.add(Thread.currentThread().getName() + ": round " + round + " never ran");
                                together.reset();
                                return;
                            }
                        }
                    } catch (Exception e) {
                        failures.add(Thread.currentThread().getName() + ": " + e);
                    }
                });
                producers.add(producer);
                producer.start();
            }
            for (Thread producer : producers) {
                producer.join();
            }
        }
        assertThat(failures).isEmpty();
        assertThat(ran).hasValue(threads * rounds);
        assertThat(reports).isEmpty();
    }

    @Test
    void callbacksFromSeveralThreadsAllRunInEachThreadsOrder() throws InterruptedException {
        int threads = 4;
        int perThread = 2000;
        List<List<Integer>> seen = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            seen.add(new ArrayList<>());
        }
        CountDownLatch all = new CountDownLatch(threads * perThread);
        try (Background background = new Background().start()) {
            List<Thread> producers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<Integer> mine = seen.get(t);
                Thread producer = new Thread(() -> {
                    for (int i = 0; i < perThread; i++) {
                        int n = i;
                        background.loop.callSoonThreadsafe(() -> {
                            mine.add(n);
                            all.countDown();
                        });
                    }
                });
                producers.add(producer);
                producer.start();
            }
            for (Thread producer : producers) {
                producer.join();
            }
            assertThat(all.await(PATIENCE_SECONDS, TimeUnit.SECONDS))
                    .as("every callback ran")
                    .isTrue();
        }
        List<Integer> expected = IntStream.range(0, perThread).boxed().toList();
        assertThat(seen).allSatisfy(list -> assertThat(list).containsExactlyElementsOf(expected));
    }

    @Test
    void aCallbackFromAnotherThreadWhileTheLoopIsNotRunningRunsOnTheNextRun() throws InterruptedException {
        EventLoop loop = newLoop();
        Thread other = new Thread(() -> loop.execute(record("from another thread")));
        other.start();
        other.join();
        assertThat(ran).isEmpty();

        runOnce(loop);

        assertThat(ran).containsExactly("from another thread");
    }

    // ---- failures ------------------------------------------------------------------------------------------

    @Test
    void aCallbacksExceptionGoesToTheExceptionHandlerAndTheLoopGoesOn() {
        EventLoop loop = newLoop();
        IllegalStateException boom = new IllegalStateException("boom");
        Handle failing = loop.callSoon(() -> {
            throw boom;
        });
        loop.callSoon(record("next"));

        runOnce(loop);

        assertThat(ran).containsExactly("next");
        assertThat(reports).singleElement().satisfies(context -> {
            assertThat(context.exception()).isSameAs(boom);
            assertThat(context.handle()).containsSame(failing);
            assertThat(context.task()).isEmpty();
            assertThat(context.message())
                    .startsWith("Exception in callback")
                    .contains(CallbackSchedulingTest.class.getName());
        });
        assertThat(loop.isRunning()).isFalse();
    }

    @Test
    void aTimersExceptionNamesTheTimerHandle() {
        EventLoop loop = newVirtualLoop();
        RuntimeException boom = new RuntimeException("timer boom");
        TimerHandle failing = loop.callLater(Duration.ofSeconds(1), () -> {
            throw boom;
        });
        loop.callLater(Duration.ofSeconds(2), loop::stop);

        loop.runForever();

        assertThat(reports).singleElement().satisfies(context -> {
            assertThat(context.exception()).isSameAs(boom);
            assertThat(context.handle()).containsSame(failing);
        });
    }

    @Test
    void callExceptionHandlerPassesTheContextToTheHandler() {
        EventLoop loop = newLoop();
        ExceptionContext context = ExceptionContext.of("something happened", null);

        loop.callExceptionHandler(context);

        assertThat(reports).containsExactly(context);
        assertThatThrownBy(() -> loop.callExceptionHandler(null))
                .isExactlyInstanceOf(NullPointerException.class)
                .hasMessage("context must not be null");
    }

    @Test
    void theDefaultHandlerContainsTheCallbacksException() {
        EventLoop loop = newLoop();
        loop.setExceptionHandler(null);
        loop.callSoon(() -> {
            throw new RuntimeException("logged by the default handler (expected in the test output)");
        });
        loop.callSoon(record("after the failure"));

        runOnce(loop);

        assertThat(loop.getExceptionHandler()).isNull();
        assertThat(ran).containsExactly("after the failure");
    }

    @Test
    void theHandlerSetIsTheHandlerGot() {
        EventLoop loop = newLoop();
        ExceptionHandler handler = (l, context) -> {};

        loop.setExceptionHandler(handler);

        assertThat(loop.getExceptionHandler()).isSameAs(handler);
    }

    @Test
    void aHandlerThatThrowsIsContained() {
        EventLoop loop = newLoop();
        List<ExceptionContext> seen = new CopyOnWriteArrayList<>();
        loop.setExceptionHandler((l, context) -> {
            seen.add(context);
            throw new RuntimeException("the handler broke (expected in the test output)");
        });
        IllegalStateException first = new IllegalStateException("first callback failure");
        IllegalStateException second = new IllegalStateException("second callback failure");
        loop.callSoon(() -> {
            throw first;
        });
        loop.callSoon(() -> {
            throw second;
        });
        loop.callSoon(record("after the broken handler"));

        runOnce(loop);

        assertThat(ran).containsExactly("after the broken handler");
        assertThat(seen).extracting(ExceptionContext::exception).containsExactly(first, second);
        assertThat(loop.isRunning()).isFalse();

        // callExceptionHandler contains it too
        loop.callExceptionHandler(ExceptionContext.of("reported directly", null));
        assertThat(seen).hasSize(3);
    }

    @Test
    void anOutOfMemoryErrorPropagatesAndLeavesTheLoopUsable() {
        EventLoop loop = newLoop();
        OutOfMemoryError fatal = new OutOfMemoryError("simulated");
        loop.callSoon(() -> {
            throw fatal;
        });
        loop.callSoon(record("rest of the batch"));

        assertThatThrownBy(loop::runForever).isSameAs(fatal);

        assertThat(loop.isRunning()).isFalse();
        assertThat(loop.isClosed()).isFalse();
        assertThat(reports).isEmpty();
        assertThatThrownBy(EventLoops::getRunningLoop)
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("no running event loop");

        loop.callSoon(record("next run"));
        runOnce(loop);

        assertThat(ran).containsExactly("rest of the batch", "next run");
    }
}
