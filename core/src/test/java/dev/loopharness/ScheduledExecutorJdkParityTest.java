package dev.loopharness;

import static java.util.concurrent.TimeUnit.HOURS;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same scenarios against a real {@link ScheduledThreadPoolExecutor} and against a loop's view, for the rules
 * that do not depend on timing. Each scenario sets up before {@link Subject#start()}: the loop's view runs nothing
 * until then, and what the JDK's executor is given is due an hour later, so neither has run anything yet. "Soon"
 * is a few milliseconds of real time for the JDK, an hour of virtual time for the loop.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ScheduledExecutorJdkParityTest {

    enum Kind {
        JDK,
        LOOP;

        Subject open() {
            return this == JDK ? new JdkSubject() : new LoopSubject();
        }
    }

    /** An executor under test, and how to let it make progress. */
    interface Subject extends AutoCloseable {

        ScheduledExecutorService executor();

        /** A delay after which a task runs once the subject is started. */
        long soon();

        TimeUnit soonUnit();

        /** Lets the executor run what it was given; the JDK's runs already. */
        void start();

        @Override
        void close();
    }

    static final class JdkSubject implements Subject {
        private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);

        @Override
        public ScheduledExecutorService executor() {
            return executor;
        }

        @Override
        public long soon() {
            return 5;
        }

        @Override
        public TimeUnit soonUnit() {
            return MILLISECONDS;
        }

        @Override
        public void start() {}

        @Override
        public void close() {
            executor.shutdownNow();
            try {
                assertThat(executor.awaitTermination(10, SECONDS)).isTrue();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while the executor terminated", interrupted);
            }
        }
    }

    static final class LoopSubject implements Subject {
        private final EventLoop loop = EventLoops.newEventLoop(new VirtualClock());
        private final ScheduledExecutorService executor = loop.asScheduledExecutorService();
        private LoopOnThread running;

        @Override
        public ScheduledExecutorService executor() {
            return executor;
        }

        @Override
        public long soon() {
            return 1;
        }

        @Override
        public TimeUnit soonUnit() {
            return HOURS;
        }

        @Override
        public void start() {
            running = LoopOnThread.start(loop);
        }

        @Override
        public void close() {
            if (running != null) {
                running.close();
            }
            loop.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aTasksExceptionFailsItsFutureWithThatException(Kind kind) throws Exception {
        IllegalStateException boom = new IllegalStateException("boom");
        try (Subject subject = kind.open()) {
            ScheduledFuture<String> future = subject.executor()
                    .schedule(
                            () -> {
                                throw boom;
                            },
                            subject.soon(),
                            subject.soonUnit());
            subject.start();

            assertThatThrownBy(future::get)
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isSameAs(boom);
            assertThat(future.isDone()).isTrue();
            assertThat(future.isCancelled()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anExceptionInAPeriodicTaskSuppressesLaterRuns(Kind kind) throws Exception {
        IllegalStateException boom = new IllegalStateException("third run fails");
        AtomicInteger runs = new AtomicInteger();
        try (Subject subject = kind.open()) {
            ScheduledFuture<?> future = subject.executor()
                    .scheduleAtFixedRate(
                            () -> {
                                if (runs.incrementAndGet() == 3) {
                                    throw boom;
                                }
                            },
                            0,
                            subject.soon(),
                            subject.soonUnit());
            subject.start();

            assertThatThrownBy(future::get)
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isSameAs(boom);
            assertThat(runs).hasValue(3);
            assertThat(future.isCancelled()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void cancellingAPendingTaskWorksOnceAndTheTaskNeverRuns(Kind kind) throws Exception {
        AtomicInteger runs = new AtomicInteger();
        try (Subject subject = kind.open()) {
            ScheduledFuture<?> future = subject.executor().schedule(runs::incrementAndGet, 1, HOURS);

            assertThat(future.cancel(false)).isTrue();
            assertThat(future.cancel(true)).isFalse();
            assertThat(future.isCancelled()).isTrue();
            assertThat(future.isDone()).isTrue();
            assertThatThrownBy(future::get).isInstanceOf(CancellationException.class);
            subject.start();
            subject.executor().shutdown();
            assertThat(subject.executor().awaitTermination(10, SECONDS)).isTrue();
            assertThat(runs).hasValue(0);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void cancellingADoneTaskFails(Kind kind) throws Exception {
        try (Subject subject = kind.open()) {
            Future<String> future = subject.executor().submit(() -> "done");
            subject.start();

            assertThat(future.get()).isEqualTo("done");
            assertThat(future.cancel(true)).isFalse();
            assertThat(future.isCancelled()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aNegativeDelayRunsAsSoonAsPossible(Kind kind) throws Exception {
        try (Subject subject = kind.open()) {
            ScheduledFuture<String> future = subject.executor().schedule(() -> "now", -1, HOURS);
            assertThat(future.getDelay(SECONDS)).isLessThanOrEqualTo(0);
            subject.start();

            assertThat(future.get()).isEqualTo("now");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void getDelayCountsDownFromTheDelay(Kind kind) throws Exception {
        try (Subject subject = kind.open()) {
            ScheduledFuture<?> future = subject.executor().schedule(() -> {}, 1, HOURS);

            assertThat(future.getDelay(SECONDS)).isBetween(3599L, 3600L);
            assertThat(future.getDelay(MINUTES)).isBetween(59L, 60L);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shutdownCancelsPeriodicTasksLetsDelayedOnesRunAndRefusesNewWork(Kind kind) throws Exception {
        try (Subject subject = kind.open()) {
            ScheduledExecutorService executor = subject.executor();
            ScheduledFuture<String> delayed = executor.schedule(() -> "ran", subject.soon(), subject.soonUnit());
            ScheduledFuture<?> periodic = executor.scheduleAtFixedRate(() -> {}, 1, 1, HOURS);
            ScheduledFuture<?> spaced = executor.scheduleWithFixedDelay(() -> {}, 1, 1, HOURS);

            executor.shutdown();

            assertThat(executor.isShutdown()).isTrue();
            assertThat(periodic.isCancelled()).isTrue();
            assertThat(spaced.isCancelled()).isTrue();
            assertThatThrownBy(() -> executor.submit(() -> "late")).isInstanceOf(RejectedExecutionException.class);
            assertThatThrownBy(() -> executor.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
            subject.start();
            assertThat(delayed.get()).isEqualTo("ran");
            assertThat(executor.awaitTermination(10, SECONDS)).isTrue();
            assertThat(executor.isTerminated()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shutdownNowReturnsTheFuturesOfTheTasksThatNeverStarted(Kind kind) throws Exception {
        try (Subject subject = kind.open()) {
            ScheduledExecutorService executor = subject.executor();
            ScheduledFuture<?> first = executor.schedule(() -> {}, 1, HOURS);
            ScheduledFuture<?> second = executor.schedule(() -> "x", 2, HOURS);
            ScheduledFuture<?> periodic = executor.scheduleAtFixedRate(() -> {}, 3, 1, HOURS);

            List<Runnable> waiting = executor.shutdownNow();

            assertThat(waiting).containsExactlyInAnyOrder((Runnable) first, (Runnable) second, (Runnable) periodic);
            assertThat(executor.isShutdown()).isTrue();
            subject.start();
            assertThat(executor.awaitTermination(10, SECONDS)).isTrue();
            // The one deliberate difference: the view cancels what it returns, so that nobody waits for it
            // forever; ScheduledThreadPoolExecutor leaves those futures pending.
            assertThat(List.of(first, second, periodic)).allMatch(future -> future.isDone() == (kind == Kind.LOOP));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void invokeAllReturnsEveryFutureDoneInOrder(Kind kind) throws Exception {
        IllegalStateException boom = new IllegalStateException("second fails");
        List<Callable<String>> tasks = List.of(
                () -> "first",
                () -> {
                    throw boom;
                },
                () -> "third");
        try (Subject subject = kind.open()) {
            subject.start();

            List<Future<String>> futures = subject.executor().invokeAll(tasks);

            assertThat(futures).hasSize(3).allMatch(Future::isDone);
            assertThat(futures.get(0).get()).isEqualTo("first");
            assertThatThrownBy(futures.get(1)::get)
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isSameAs(boom);
            assertThat(futures.get(2).get()).isEqualTo("third");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void invokeAnyReturnsTheFirstSuccessOrElseTheLastFailure(Kind kind) throws Exception {
        IllegalStateException first = new IllegalStateException("first");
        IllegalStateException last = new IllegalStateException("last");
        List<Callable<String>> failing = List.of(
                () -> {
                    throw first;
                },
                () -> {
                    throw last;
                });
        try (Subject subject = kind.open()) {
            subject.start();
            ScheduledExecutorService executor = subject.executor();

            assertThat(executor.invokeAny(List.of(failing.get(0), () -> "b", () -> "c")))
                    .isEqualTo("b");
            assertThatThrownBy(() -> executor.invokeAny(failing))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isSameAs(last);
            assertThatThrownBy(() -> executor.invokeAny(List.<Callable<String>>of()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void badArgumentsAreRefusedAsTheJdkRefusesThem(Kind kind) throws Exception {
        try (Subject subject = kind.open()) {
            ScheduledExecutorService executor = subject.executor();

            assertThatThrownBy(() -> executor.schedule((Runnable) null, 1, SECONDS))
                    .isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> executor.schedule(() -> {}, 1, null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> executor.submit((Callable<String>) null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> executor.execute(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> executor.scheduleAtFixedRate(() -> {}, 1, 0, SECONDS))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> executor.scheduleWithFixedDelay(() -> {}, 1, -1, SECONDS))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
