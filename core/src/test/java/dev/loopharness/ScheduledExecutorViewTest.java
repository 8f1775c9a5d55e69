package dev.loopharness;

import static java.util.concurrent.TimeUnit.DAYS;
import static java.util.concurrent.TimeUnit.HOURS;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code EventLoop.asScheduledExecutorService()}: the JDK's scheduled executor, on the loop, in loop time. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ScheduledExecutorViewTest {

    /** How the view names a task given as a lambda written in the class of {@code test}. */
    private static String task(Object test) {
        return "Task lambda in " + test.getClass().getName();
    }

    private final VirtualClock clock = new VirtualClock();
    private final EventLoop loop = EventLoops.newEventLoop(clock);
    private final ScheduledExecutorService view = loop.asScheduledExecutorService();
    private final List<ExceptionContext> reported = Collections.synchronizedList(new ArrayList<>());

    {
        loop.setExceptionHandler((ignored, context) -> reported.add(context));
    }

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    /** Every future of the view is a CompletableFuture: a checked cast, then await or chain on it. */
    private static <T> CompletableFuture<T> stage(Future<T> future) {
        return (CompletableFuture<T>) future;
    }

    private static long nanos(Duration duration) {
        return duration.toNanos();
    }

    private static String deadlock(String call, String waitedFor, String loopText) {
        return "Blocking " + call + " on the event loop's own thread would deadlock: the loop (" + loopText
                + ") cannot run " + waitedFor + " while it waits. Inside a coroutine use Async.await(...) on the"
                + " future (every future of loop.asScheduledExecutorService() is a CompletableFuture); in a"
                + " callback, chain on it with whenComplete(...); or block on another thread";
    }

    /**
     * Runs the loop until a point in loop time, by a task of another view that is due then: what is due by then
     * has run (tasks due at the same time only if scheduled before this call).
     */
    private void runLoopUntil(Duration loopTime) {
        long delay = loopTime.toNanos() - loop.time();
        loop.runUntilComplete(stage(loop.asScheduledExecutorService().schedule(() -> null, delay, NANOSECONDS)));
    }

    @Nested
    class LoopTime {

        @Test
        void aOneHourDelayRunsAsSoonAsTheLoopHasNothingElseToDo() {
            ScheduledFuture<Long> future = view.schedule(loop::time, 1, HOURS);
            assertThat(future.getDelay(SECONDS)).isEqualTo(3600);

            long ranAt = loop.runUntilComplete(stage(future));

            assertThat(ranAt).isEqualTo(nanos(Duration.ofHours(1)));
            assertThat(future.getDelay(NANOSECONDS)).isZero();
        }

        @Test
        void getDelayReadsLoopTimeFromAnyThread() throws InterruptedException {
            ScheduledFuture<?> future = view.schedule(() -> {}, 10, SECONDS);
            clock.advance(Duration.ofSeconds(4));
            long[] seenElsewhere = new long[1];
            Thread other = new Thread(() -> seenElsewhere[0] = future.getDelay(MILLISECONDS));
            other.start();
            other.join();

            assertThat(future.getDelay(SECONDS)).isEqualTo(6);
            assertThat(seenElsewhere[0]).isEqualTo(6000);
        }

        @Test
        void tasksDueAtTheSameTimeRunInTheOrderTheyWereScheduled() {
            List<String> order = new ArrayList<>();
            view.schedule(() -> order.add("first"), 1, SECONDS);
            view.execute(() -> order.add("execute"));
            view.schedule(() -> order.add("second"), 1000, MILLISECONDS);
            view.submit(() -> order.add("submit"));
            view.schedule(() -> order.add("third"), 1, SECONDS);

            loop.runUntilComplete(stage(view.schedule(() -> null, 2, SECONDS)));

            assertThat(order).containsExactly("execute", "submit", "first", "second", "third");
        }

        @Test
        void aNegativeDelayCountsAsZeroAsTheJdkSays() {
            List<String> order = new ArrayList<>();
            view.schedule(() -> order.add("zero"), 0, SECONDS);
            ScheduledFuture<?> negative = view.schedule(() -> order.add("negative"), -5, SECONDS);
            assertThat(negative.getDelay(NANOSECONDS)).isZero();

            runLoopUntil(Duration.ZERO);

            assertThat(order).containsExactly("zero", "negative");
            assertThat(loop.time()).isZero();
        }

        @Test
        void anAbsurdDelaySaturatesInsteadOfOverflowingIntoThePast() {
            List<String> order = new ArrayList<>();
            ScheduledFuture<?> absurd = view.schedule(() -> order.add("absurd"), Long.MAX_VALUE, DAYS);
            view.schedule(() -> order.add("in an hour"), 1, HOURS);
            assertThat(absurd.getDelay(NANOSECONDS)).isEqualTo(Long.MAX_VALUE);

            loop.runUntilComplete(stage(absurd));

            assertThat(order).containsExactly("in an hour", "absurd");
            assertThat(loop.time()).isEqualTo(Long.MAX_VALUE);
        }

        @Test
        void aFixedRateRunsEachPeriodAfterTheLastWasDueAndCatchesUpWithoutOverlapping() {
            List<Long> starts = new ArrayList<>();
            List<Boolean> overlapping = new ArrayList<>();
            boolean[] inRun = {false};
            LoopFuture<Void> done = loop.createFuture();
            AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
            self.set(view.scheduleAtFixedRate(
                    () -> {
                        overlapping.add(inRun[0]);
                        inRun[0] = true;
                        starts.add(loop.time());
                        if (starts.size() == 2) {
                            clock.advance(Duration.ofMillis(3500)); // this run takes 3.5 s of loop time
                        }
                        if (starts.size() == 7) {
                            self.get().cancel(false);
                            done.setResult(null);
                        }
                        inRun[0] = false;
                    },
                    1,
                    1,
                    SECONDS));

            loop.runUntilComplete(done);

            assertThat(starts)
                    .containsExactly(
                            nanos(Duration.ofSeconds(1)),
                            nanos(Duration.ofSeconds(2)),
                            nanos(Duration.ofMillis(5500)), // due at 3 s
                            nanos(Duration.ofMillis(5500)), // due at 4 s
                            nanos(Duration.ofMillis(5500)), // due at 5 s
                            nanos(Duration.ofSeconds(6)),
                            nanos(Duration.ofSeconds(7)));
            assertThat(overlapping).containsOnly(false);
            assertThat(self.get().isCancelled()).isTrue();
        }

        @Test
        void aFixedDelayIsMeasuredFromTheEndOfThePreviousRun() {
            List<Long> starts = new ArrayList<>();
            LoopFuture<Void> done = loop.createFuture();
            AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
            self.set(view.scheduleWithFixedDelay(
                    () -> {
                        starts.add(loop.time());
                        if (starts.size() == 2) {
                            clock.advance(Duration.ofMillis(3500));
                        }
                        if (starts.size() == 4) {
                            self.get().cancel(false);
                            done.setResult(null);
                        }
                    },
                    1,
                    2,
                    SECONDS));

            loop.runUntilComplete(done);

            assertThat(starts)
                    .containsExactly(
                            nanos(Duration.ofSeconds(1)),
                            nanos(Duration.ofSeconds(3)),
                            nanos(Duration.ofMillis(8500)), // the second run ended at 6.5 s
                            nanos(Duration.ofMillis(10500)));
        }

        @Test
        void aCancelledTaskNeverRuns() throws InterruptedException {
            AtomicInteger runs = new AtomicInteger();
            ScheduledFuture<?> cancelledHere = view.schedule(runs::incrementAndGet, 1, HOURS);
            ScheduledFuture<?> cancelledElsewhere = view.schedule(runs::incrementAndGet, 2, HOURS);
            assertThat(cancelledHere.cancel(false)).isTrue();
            Thread other = new Thread(() -> cancelledElsewhere.cancel(true));
            other.start();
            other.join();

            runLoopUntil(Duration.ofHours(3));

            assertThat(runs).hasValue(0);
            assertThat(cancelledHere.cancel(false)).isFalse();
            assertThat(cancelledHere.isCancelled()).isTrue();
            assertThat(cancelledHere.isDone()).isTrue();
            assertThatThrownBy(cancelledHere::get)
                    .isInstanceOf(CancellationException.class)
                    .hasMessage(task(this) + " was cancelled");
            assertThat(cancelledElsewhere.isCancelled()).isTrue();
        }

        @Test
        void aCancelledTaskTakesItsTimerWithIt() throws InterruptedException {
            ScheduledFuture<?> cancelledOnTheLoop = view.schedule(() -> {}, 1, HOURS);
            ScheduledFuture<?> cancelledHere = view.schedule(() -> {}, 2, HOURS);
            ScheduledFuture<?> cancelledElsewhere = view.schedule(() -> {}, 3, HOURS);
            ScheduledFuture<?> kept = view.schedule(() -> {}, 4, HOURS);
            loop.callSoon(loop::stop);
            loop.runForever(); // one iteration: the view arms timers scheduled from outside the loop in it
            assertThat(loop.pendingTimers()).hasSize(4);

            cancelledHere.cancel(false);
            Thread other = new Thread(() -> cancelledElsewhere.cancel(true));
            other.start();
            other.join();
            loop.callSoon(() -> {
                cancelledOnTheLoop.cancel(false);
                loop.stop();
            });
            loop.runForever(); // one iteration: the cancels posted from other threads run in it

            assertThat(loop.pendingTimers())
                    .singleElement()
                    .extracting(TimerHandle::when)
                    .isEqualTo(nanos(Duration.ofHours(4)));
            assertThat(kept.isDone()).isFalse();
            assertThat(clock.nanoTime()).isZero();
        }

        @Test
        void aPeriodicTaskCancelledDuringItsRunDoesNotRunAgain() {
            AtomicInteger runs = new AtomicInteger();
            AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
            self.set(view.scheduleAtFixedRate(
                    () -> {
                        if (runs.incrementAndGet() == 3) {
                            self.get().cancel(false);
                        }
                    },
                    0,
                    1,
                    MINUTES));

            assertThatThrownBy(() -> loop.runUntilComplete(stage(self.get())))
                    .isInstanceOf(CancellationException.class)
                    .hasMessage(task(this) + " was cancelled");
            loop.runUntilComplete(stage(view.schedule(() -> null, 1, HOURS)));

            assertThat(runs).hasValue(3);
        }

        @Test
        void aTaskCanBeRunAheadOfItsTimeOnTheLoopOnce() {
            AtomicInteger runs = new AtomicInteger();
            RunnableScheduledFuture<?> future =
                    (RunnableScheduledFuture<?>) view.schedule(runs::incrementAndGet, 1, HOURS);
            assertThat(future.isPeriodic()).isFalse();
            runLoopUntil(Duration.ZERO); // its timer is set

            loop.runUntilComplete(() -> {
                future.run();
                return null;
            });
            runLoopUntil(Duration.ofHours(2));

            assertThat(runs).hasValue(1); // not again at the hour: running it early dropped its timer
            assertThat(future.isDone()).isTrue();
        }

        @Test
        void futuresOrderByLoopTimeAndDescribeThemselves() {
            ScheduledFuture<?> later = view.schedule(() -> {}, 2, HOURS);
            ScheduledFuture<?> sooner = view.schedule(() -> {}, 1, HOURS);
            ScheduledFuture<?> periodic = view.scheduleAtFixedRate(() -> {}, 1, 30, SECONDS);
            ScheduledFuture<?> spaced = view.scheduleWithFixedDelay(() -> {}, 1, 30, SECONDS);

            assertThat(sooner.compareTo(later)).isNegative();
            assertThat(later.compareTo(sooner)).isPositive();
            assertThat(periodic.compareTo(sooner)).isNegative();
            assertThat(periodic.compareTo(spaced)).isNegative(); // same time: the order they were scheduled
            assertThat(sooner.compareTo(sooner)).isZero();
            String lambda = "task lambda in " + getClass().getName();
            assertThat(sooner.toString()).isEqualTo("<ScheduledFuture " + lambda + " due in PT1H>");
            assertThat(periodic.toString())
                    .isEqualTo("<ScheduledFuture " + lambda + " every PT30S at a fixed rate due in PT1S>");
            assertThat(spaced.toString())
                    .isEqualTo("<ScheduledFuture " + lambda + " every PT30S with a fixed delay due in PT1S>");
            sooner.cancel(false);
            assertThat(sooner.toString()).isEqualTo("<ScheduledFuture " + lambda + " cancelled>");
        }
    }

    @Nested
    class Failures {

        @Test
        void aTasksExceptionGoesToItsFutureNotToTheExceptionHandler() {
            IllegalStateException boom = new IllegalStateException("boom");
            ScheduledFuture<Object> future = view.schedule(
                    () -> {
                        throw boom;
                    },
                    1,
                    SECONDS);

            assertThatThrownBy(() -> loop.runUntilComplete(stage(future))).isSameAs(boom);
            assertThatThrownBy(future::get)
                    .isInstanceOf(ExecutionException.class)
                    .hasMessage(boom.toString())
                    .cause()
                    .isSameAs(boom);
            assertThat(reported).isEmpty();
            loop.close();
            assertThat(reported).isEmpty();
        }

        @Test
        void anExceptionInAPeriodicTaskEndsItAndFailsItsFuture() throws InterruptedException {
            IllegalStateException boom = new IllegalStateException("third run fails");
            AtomicInteger runs = new AtomicInteger();
            ScheduledFuture<?> future = view.scheduleAtFixedRate(
                    () -> {
                        if (runs.incrementAndGet() == 3) {
                            throw boom;
                        }
                    },
                    0,
                    1,
                    SECONDS);

            assertThatThrownBy(() -> loop.runUntilComplete(stage(future))).isSameAs(boom);
            assertThat(loop.time()).isEqualTo(nanos(Duration.ofSeconds(2)));
            loop.runUntilComplete(stage(view.schedule(() -> null, 1, HOURS)));

            assertThat(runs).hasValue(3);
            assertThat(future.isDone()).isTrue();
            assertThat(future.isCancelled()).isFalse();
            assertThatThrownBy(future::get)
                    .isInstanceOf(ExecutionException.class)
                    .hasMessage(boom.toString())
                    .cause()
                    .isSameAs(boom);
            assertThat(reported).isEmpty();
        }

        @Test
        void anExceptionInATaskGivenToExecuteGoesToTheExceptionHandlerSinceNobodyHoldsItsFuture() {
            IllegalStateException boom = new IllegalStateException("boom");
            view.execute(() -> {
                throw boom;
            });

            runLoopUntil(Duration.ZERO);

            assertThat(reported).hasSize(1);
            assertThat(reported.get(0).message())
                    .isEqualTo("Exception in task lambda in " + getClass().getName() + " run by execute() of " + view);
            assertThat(reported.get(0).exception()).isSameAs(boom);
        }
    }

    @Nested
    class Threads {

        @Test
        void otherThreadsBlockInGetUntilTheLoopHasRunTheTask() throws Exception {
            LoopOnThread.whileRunning(loop, () -> {
                ScheduledFuture<Long> future = view.schedule(loop::time, 1, HOURS);
                ScheduledFuture<String> timed = view.schedule(() -> "timed", 2, HOURS);

                assertThat(future.get()).isEqualTo(nanos(Duration.ofHours(1)));
                assertThat(timed.get(1, MINUTES)).isEqualTo("timed");
                assertThat(stage(timed).join()).isEqualTo("timed");
            });
        }

        @Test
        void manyThreadsScheduleAtOnceAndEveryTaskRunsOnceOnTheLoop() throws Exception {
            int threads = 4;
            int perThread = 200;
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> futures = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger offLoop = new AtomicInteger();
            AtomicReference<Thread> loopThread = new AtomicReference<>();
            loop.callSoon(() -> loopThread.set(Thread.currentThread()));
            LoopOnThread.whileRunning(loop, () -> {
                List<Thread> submitters = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int base = t * perThread;
                    Thread submitter = new Thread(() -> {
                        try {
                            go.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        for (int i = 0; i < perThread; i++) {
                            int id = base + i;
                            futures.add(view.schedule(
                                    () -> {
                                        if (Thread.currentThread() != loopThread.get()) {
                                            offLoop.incrementAndGet();
                                        }
                                        return id;
                                    },
                                    id % 7,
                                    SECONDS));
                        }
                    });
                    submitter.start();
                    submitters.add(submitter);
                }
                go.countDown();
                for (Thread submitter : submitters) {
                    submitter.join();
                }
                List<Integer> results = new ArrayList<>();
                for (Future<Integer> future : futures) {
                    results.add(future.get(1, MINUTES));
                }
                assertThat(results).hasSize(threads * perThread).doesNotHaveDuplicates();
                assertThat(offLoop).hasValue(0);
            });
        }

        @Test
        void blockingOnTheLoopsOwnThreadIsRefusedBecauseItWouldDeadlock() {
            ScheduledFuture<String> future = view.schedule(() -> "later", 1, HOURS);
            List<ThrowingCallable> calls = List.of(
                    future::get,
                    () -> future.get(1, SECONDS),
                    () -> stage(future).join(),
                    () -> view.invokeAll(List.of(() -> "x")),
                    () -> view.invokeAll(List.of(() -> "x"), 1, SECONDS),
                    () -> view.invokeAny(List.of(() -> "x")),
                    () -> view.invokeAny(List.of(() -> "x"), 1, SECONDS));
            List<String> expected = new ArrayList<>();
            List<Throwable> inCallback = new ArrayList<>();
            loop.callSoon(() -> {
                String loopText = loop.toString();
                expected.addAll(List.of(
                        deadlock("get()", "the task", loopText),
                        deadlock("get()", "the task", loopText),
                        deadlock("join()", "the task", loopText),
                        deadlock("invokeAll()", "the tasks", loopText),
                        deadlock("invokeAll()", "the tasks", loopText),
                        deadlock("invokeAny()", "the tasks", loopText),
                        deadlock("invokeAny()", "the tasks", loopText)));
                for (ThrowingCallable call : calls) {
                    inCallback.add(catchThrowable(call));
                }
            });
            List<Throwable> inCoroutine = loop.runUntilComplete(() -> {
                List<Throwable> caught = new ArrayList<>();
                for (ThrowingCallable call : calls) {
                    caught.add(catchThrowable(call));
                }
                return caught;
            });

            for (List<Throwable> caught : List.of(inCallback, inCoroutine)) {
                assertThat(caught).hasSize(calls.size());
                for (int i = 0; i < calls.size(); i++) {
                    assertThat(caught.get(i))
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessage(expected.get(i));
                }
            }
            assertThat(future.isDone()).isFalse();
        }

        @Test
        void onTheLoopsThreadADoneFutureMayBeReadSinceNothingBlocks() {
            ScheduledFuture<String> future = view.schedule(() -> "done", 1, SECONDS);
            loop.runUntilComplete(stage(future));

            String read = loop.runUntilComplete(() -> future.get() + " " + future.get(0, SECONDS));

            assertThat(read).isEqualTo("done done");
        }

        @Test
        void aCoroutineAwaitsAFutureWithoutHoldingVirtualTimeStill() {
            String result = loop.runUntilComplete(() -> {
                ScheduledFuture<String> future = view.schedule(() -> "an hour later", 1, HOURS);
                return Async.await(stage(future)) + " at "
                        + Duration.ofNanos(Async.loop().time());
            });

            assertThat(result).isEqualTo("an hour later at PT1H");
        }

        @Test
        void cancellingTheAwaitingCoroutineCancelsTheTask() {
            AtomicInteger runs = new AtomicInteger();
            ScheduledFuture<?> future = view.schedule(runs::incrementAndGet, 1, HOURS);
            Task<Object> waiter = loop.createTask(() -> Async.await(stage(future)));
            loop.callLater(Duration.ofMinutes(1), waiter::cancel);

            assertThatThrownBy(() -> loop.runUntilComplete(waiter)).isInstanceOf(CancellationException.class);
            runLoopUntil(Duration.ofHours(2));

            assertThat(future.isCancelled()).isTrue();
            assertThat(runs).hasValue(0);
        }
    }

    @Nested
    class InvokeAllAndAny {

        @Test
        void invokeAllRunsEveryTaskAndReturnsTheirFuturesInOrder() throws Exception {
            IllegalStateException boom = new IllegalStateException("second fails");
            List<Callable<String>> tasks = List.of(
                    () -> "first",
                    () -> {
                        throw boom;
                    },
                    () -> "third");
            LoopOnThread.whileRunning(loop, () -> {
                List<Future<String>> futures = view.invokeAll(tasks);
                List<Future<String>> timed = view.invokeAll(tasks, 1, MINUTES);

                for (List<Future<String>> all : List.of(futures, timed)) {
                    assertThat(all).hasSize(3).allMatch(Future::isDone);
                    assertThat(all.get(0).get()).isEqualTo("first");
                    assertThatThrownBy(all.get(1)::get)
                            .isInstanceOf(ExecutionException.class)
                            .cause()
                            .isSameAs(boom);
                    assertThat(all.get(2).get()).isEqualTo("third");
                }
                assertThat(view.invokeAll(List.<Callable<String>>of())).isEmpty();
            });
        }

        @Test
        void invokeAllWithATimeoutCancelsWhatDidNotComplete() throws InterruptedException {
            // The loop does not run, so nothing completes within the (real-time) timeout.
            List<Future<String>> futures = view.invokeAll(List.of(() -> "a", () -> "b"), 20, MILLISECONDS);

            assertThat(futures).hasSize(2).allMatch(Future::isCancelled);
            assertThatThrownBy(futures.get(0)::get)
                    .isInstanceOf(CancellationException.class)
                    .hasMessage(
                            task(this) + " was cancelled: invokeAll() did not see it complete within 20 MILLISECONDS"
                                    + " of real time");
        }

        @Test
        void invokeAnyReturnsTheFirstSuccessAndTheTasksAfterItNeverRun() throws Exception {
            List<String> ran = Collections.synchronizedList(new ArrayList<>());
            List<Callable<String>> tasks = List.of(
                    () -> {
                        ran.add("fails");
                        throw new IllegalStateException("fails");
                    },
                    () -> {
                        ran.add("b");
                        return "b";
                    },
                    () -> {
                        ran.add("c");
                        return "c";
                    });
            LoopOnThread.whileRunning(loop, () -> {
                assertThat(view.invokeAny(tasks)).isEqualTo("b");
                assertThat(view.invokeAny(tasks, 1, MINUTES)).isEqualTo("b");
            });
            assertThat(ran).containsExactly("fails", "b", "fails", "b");
        }

        @Test
        void invokeAnyWhenEveryTaskFailsThrowsTheLastFailure() throws Exception {
            IllegalStateException first = new IllegalStateException("first");
            IllegalStateException last = new IllegalStateException("last");
            List<Callable<String>> tasks = List.of(
                    () -> {
                        throw first;
                    },
                    () -> {
                        throw last;
                    });
            LoopOnThread.whileRunning(loop, () -> {
                assertThatThrownBy(() -> view.invokeAny(tasks))
                        .isInstanceOf(ExecutionException.class)
                        .hasMessage("invokeAny(): none of the 2 tasks completed; the cause is the last failure")
                        .cause()
                        .isSameAs(last);
            });
        }

        @Test
        void invokeAnyWithATimeoutThrowsTimeoutExceptionAndCancelsTheTasks() {
            AtomicInteger runs = new AtomicInteger();
            assertThatThrownBy(() -> view.invokeAny(List.of(runs::incrementAndGet), 20, MILLISECONDS))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessage("invokeAny(): none of the 1 tasks completed within 20 MILLISECONDS of real time;"
                            + " they were cancelled");

            runLoopUntil(Duration.ofSeconds(1));
            assertThat(runs).hasValue(0);
        }

        @Test
        void badCollectionsAreRefusedWithMessagesThatSayWhy() {
            List<Callable<String>> withNull = Arrays.asList(() -> "a", null);
            assertThatThrownBy(() -> view.invokeAny(List.<Callable<String>>of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("tasks must not be empty: invokeAny() needs at least one task");
            assertThatThrownBy(() -> view.invokeAll(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("tasks must not be null");
            assertThatThrownBy(() -> view.invokeAny(null, 1, SECONDS))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("tasks must not be null");
            assertThatThrownBy(() -> view.invokeAll(withNull))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("tasks[1] must not be null");
            assertThatThrownBy(() -> view.invokeAny(withNull))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("tasks[1] must not be null");
            assertThatThrownBy(() -> view.invokeAll(List.of(() -> "a"), 1, null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("unit must not be null");
        }
    }

    @Nested
    class Shutdown {

        @Test
        void shutdownLetsDelayedTasksRunCancelsPeriodicOnesAndRefusesNewWork() {
            List<String> ran = new ArrayList<>();
            ScheduledFuture<?> delayed = view.schedule(() -> ran.add("delayed"), 1, HOURS);
            ScheduledFuture<?> periodic = view.scheduleAtFixedRate(() -> ran.add("periodic"), 1, 1, MINUTES);
            ScheduledFuture<?> spaced = view.scheduleWithFixedDelay(() -> ran.add("spaced"), 1, 1, MINUTES);

            view.shutdown();

            assertThat(view.isShutdown()).isTrue();
            assertThat(view.isTerminated()).isFalse();
            assertThat(periodic.isCancelled()).isTrue();
            assertThat(spaced.isCancelled()).isTrue();
            assertThatThrownBy(periodic::get)
                    .isInstanceOf(CancellationException.class)
                    .hasMessage("Periodic task lambda in " + getClass().getName() + " was cancelled because " + view
                            + " was shut down");
            assertThatThrownBy(() -> view.submit(() -> "late"))
                    .isInstanceOf(RejectedExecutionException.class)
                    .hasMessage(task(this) + " rejected: " + view + " has been shut down. Shutting a view down stops"
                            + " that view only, never its loop: for more work take a new view with"
                            + " loop.asScheduledExecutorService()");

            loop.runUntilComplete(stage(delayed));

            assertThat(ran).containsExactly("delayed");
            assertThat(view.isTerminated()).isTrue();
            assertThat(loop.isClosed()).isFalse();
            assertThat(loop.runUntilComplete(
                            stage(loop.asScheduledExecutorService().submit(() -> "a new view"))))
                    .isEqualTo("a new view");
        }

        @Test
        void aPeriodicTaskThatShutsItsViewDownRunsNoMore() {
            AtomicInteger runs = new AtomicInteger();
            ScheduledFuture<?> future = view.scheduleAtFixedRate(
                    () -> {
                        if (runs.incrementAndGet() == 2) {
                            view.shutdown();
                        }
                    },
                    0,
                    1,
                    SECONDS);

            assertThatThrownBy(() -> loop.runUntilComplete(stage(future)))
                    .isInstanceOf(CancellationException.class)
                    .hasMessage("Periodic task lambda in " + getClass().getName() + " was cancelled because " + view
                            + " was shut down");
            assertThat(runs).hasValue(2);
            assertThat(view.isTerminated()).isTrue();
        }

        @Test
        void shutdownNowCancelsEveryTaskWaitingAndReturnsThemEarliestFirst() {
            AtomicInteger runs = new AtomicInteger();
            ScheduledFuture<?> later = view.schedule(runs::incrementAndGet, 2, HOURS);
            ScheduledFuture<?> sooner = view.schedule(runs::incrementAndGet, 1, HOURS);
            ScheduledFuture<?> periodic = view.scheduleAtFixedRate(runs::incrementAndGet, 3, 1, HOURS);

            List<Runnable> waiting = view.shutdownNow();

            assertThat(waiting).containsExactly((Runnable) sooner, (Runnable) later, (Runnable) periodic);
            assertThat(List.of(sooner, later, periodic)).allMatch(Future::isCancelled);
            assertThatThrownBy(sooner::get)
                    .isInstanceOf(CancellationException.class)
                    .hasMessage(task(this) + " was cancelled by shutdownNow() of " + view);
            assertThat(view.isShutdown()).isTrue();
            assertThat(view.isTerminated()).isTrue();
            waiting.forEach(Runnable::run); // cancelled: running them does nothing
            runLoopUntil(Duration.ofHours(5));
            assertThat(runs).hasValue(0);
        }

        @Test
        void shutdownNowFromARunningTaskLeavesThatTaskToFinish() {
            List<Runnable> returned = new ArrayList<>();
            ScheduledFuture<?> waiting = view.schedule(() -> {}, 1, HOURS);
            ScheduledFuture<String> running = view.schedule(
                    () -> {
                        returned.addAll(view.shutdownNow());
                        return "finished";
                    },
                    1,
                    SECONDS);

            assertThat(loop.runUntilComplete(stage(running))).isEqualTo("finished");

            assertThat(returned).containsExactly((Runnable) waiting);
            assertThat(view.isTerminated()).isTrue();
        }

        @Test
        void awaitTerminationIsHonestAndRefusedOnTheLoopsThread() throws Exception {
            view.schedule(() -> {}, 1, HOURS);
            assertThat(view.awaitTermination(0, SECONDS)).isFalse();
            assertThat(view.awaitTermination(10, MILLISECONDS)).isFalse(); // not shut down, loop not running

            view.shutdown();
            Throwable[] onLoop = new Throwable[1];
            String[] loopText = new String[1];
            loop.callSoon(() -> {
                loopText[0] = loop.toString();
                onLoop[0] = catchThrowable(() -> view.awaitTermination(1, SECONDS));
            });
            LoopOnThread.whileRunning(loop, () -> {
                assertThat(view.awaitTermination(1, MINUTES)).isTrue();
            });

            assertThat(onLoop[0])
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage(deadlock("awaitTermination()", "the view's remaining tasks", loopText[0]));
            assertThat(view.isTerminated()).isTrue();
            assertThat(loop.runUntilComplete(() -> view.awaitTermination(1, SECONDS)))
                    .isTrue();
        }

        @Test
        void eachCallGivesANewViewWithALifecycleOfItsOwn() {
            ScheduledExecutorService other = loop.asScheduledExecutorService();
            assertThat(other).isNotSameAs(view);

            view.shutdown();

            assertThat(other.isShutdown()).isFalse();
            assertThat(loop.runUntilComplete(stage(other.submit(() -> "still works"))))
                    .isEqualTo("still works");
        }
    }

    @Nested
    class ClosingTheLoop {

        @Test
        void closingTheLoopCancelsPendingFuturesAndTheViewRefusesNewWork() {
            ScheduledFuture<?> pending = view.schedule(() -> {}, 1, HOURS);
            ScheduledFuture<?> periodic = view.scheduleAtFixedRate(() -> {}, 0, 1, SECONDS);
            loop.runUntilComplete(stage(view.schedule(() -> null, 1, SECONDS)));

            loop.close();

            assertThat(pending.isCancelled()).isTrue();
            assertThat(periodic.isCancelled()).isTrue();
            assertThatThrownBy(pending::get)
                    .isInstanceOf(CancellationException.class)
                    .hasMessage(task(this) + " was cancelled because its event loop closed")
                    .cause()
                    .isInstanceOf(EventLoopClosedException.class)
                    .hasMessageStartingWith("Event loop is closed");
            assertThatThrownBy(() -> view.schedule(() -> {}, 1, SECONDS))
                    .isInstanceOf(RejectedExecutionException.class)
                    .hasMessage(task(this) + " rejected: " + view + " cannot run it because its event loop is closed")
                    .cause()
                    .isInstanceOf(EventLoopClosedException.class)
                    .hasMessageStartingWith("Event loop is closed");
            assertThat(view.isShutdown()).isTrue();
            assertThat(view.isTerminated()).isTrue();
        }

        @Test
        void aThreadBlockedInGetIsReleasedWhenTheLoopCloses() throws Exception {
            ScheduledFuture<?> pending = view.schedule(() -> {}, 1, HOURS);
            AtomicReference<Throwable> seen = new AtomicReference<>();
            CountDownLatch waiting = new CountDownLatch(1);
            Thread blocked = new Thread(() -> {
                waiting.countDown();
                seen.set(catchThrowable(pending::get));
            });
            blocked.start();
            waiting.await();

            loop.close();
            blocked.join();

            assertThat(seen.get())
                    .isInstanceOf(CancellationException.class)
                    .hasMessage(task(this) + " was cancelled because its event loop closed");
        }

        @Test
        void aViewOfAClosedLoopIsShutDownAndTerminatedEvenIfNeverUsed() throws InterruptedException {
            ScheduledExecutorService unused = loop.asScheduledExecutorService();
            loop.close();

            assertThat(unused.isShutdown()).isTrue();
            assertThat(unused.isTerminated()).isTrue();
            assertThat(unused.awaitTermination(1, SECONDS)).isTrue();
            assertThat(loop.asScheduledExecutorService().isTerminated()).isTrue();
        }
    }

    @Nested
    class BadInput {

        @Test
        void nullTasksAndUnitsAreRefusedNamingTheParameter() {
            Runnable command = () -> {};
            Callable<String> callable = () -> "x";
            assertNpe(() -> view.schedule((Runnable) null, 1, SECONDS), "command");
            assertNpe(() -> view.schedule(command, 1, null), "unit");
            assertNpe(() -> view.schedule((Callable<String>) null, 1, SECONDS), "callable");
            assertNpe(() -> view.schedule(callable, 1, null), "unit");
            assertNpe(() -> view.scheduleAtFixedRate(null, 1, 1, SECONDS), "command");
            assertNpe(() -> view.scheduleAtFixedRate(command, 1, 1, null), "unit");
            assertNpe(() -> view.scheduleWithFixedDelay(null, 1, 1, SECONDS), "command");
            assertNpe(() -> view.scheduleWithFixedDelay(command, 1, 1, null), "unit");
            assertNpe(() -> view.execute(null), "command");
            assertNpe(() -> view.submit((Runnable) null), "task");
            assertNpe(() -> view.submit((Runnable) null, "result"), "task");
            assertNpe(() -> view.submit((Callable<String>) null), "task");
            assertNpe(() -> view.awaitTermination(1, null), "unit");
            ScheduledFuture<String> future = view.schedule(callable, 1, SECONDS);
            assertNpe(() -> future.getDelay(null), "unit");
            assertNpe(() -> future.get(1, null), "unit");
        }

        private void assertNpe(ThrowingCallable call, String parameter) {
            assertThatThrownBy(call)
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage(parameter + " must not be null");
        }

        @Test
        void aZeroOrNegativePeriodIsRefusedAsTheJdkRefusesIt() {
            assertThatThrownBy(() -> view.scheduleAtFixedRate(() -> {}, 1, 0, SECONDS))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("period must be positive: got 0 SECONDS");
            assertThatThrownBy(() -> view.scheduleWithFixedDelay(() -> {}, 1, -5, MILLISECONDS))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("delay must be positive: got -5 MILLISECONDS");
            assertThat(view.isTerminated()).isFalse();
        }

        @Test
        void anOutcomeOnceSettledCannotBeOverwritten() {
            ScheduledFuture<String> future = view.schedule(() -> "x", 1, SECONDS);
            CompletableFuture<String> completable = stage(future);
            assertThat(completable.complete("from outside")).isTrue(); // ends the task like a cancel would

            assertThatThrownBy(() -> completable.obtrudeValue("y"))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessage("obtrudeValue() is not supported by task lambda in "
                            + getClass().getName()
                            + ": its outcome, once settled, is final; cancel(...) or complete(...) it while it is"
                            + " pending");
            assertThatThrownBy(() -> completable.obtrudeException(new IllegalStateException()))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageStartingWith("obtrudeException() is not supported by task lambda in ");
            view.shutdown();
            assertThat(view.isTerminated()).isTrue();
            assertThat(completable.join()).isEqualTo("from outside");
        }

        @Test
        void aTimedGetThatRunsOutSaysTheWaitIsRealTime() {
            ScheduledFuture<String> future = view.schedule(() -> "x", 1, SECONDS);

            assertThatThrownBy(() -> future.get(10, MILLISECONDS))
                    .isInstanceOf(TimeoutException.class)
                    .hasMessage(task(this) + " did not complete within 10 MILLISECONDS of real time (the wait is the"
                            + " calling thread's; the task's delay is loop time); it goes on");
            assertThat(loop.runUntilComplete(stage(future))).isEqualTo("x");
        }
    }
}
