package dev.loopharness.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The pool of platform carriers: reuse, idle end, and the ownership rule (no carrier outlives its idle time). */
class CarrierPoolTest {

    /** How long a condition that depends on other threads may take to hold: generous, as the machine may be busy. */
    private static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(30);

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND_NANOS;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline)
                    .as("waited 30 s for: %s", what)
                    .isNegative();
            Thread.sleep(10);
        }
    }

    /** Starts or wakes a carrier as a task's first step does ({@link Baton#pass}). */
    private static void launch(Thread carrier) {
        if (carrier.getState() == Thread.State.NEW) {
            carrier.start();
        } else {
            LockSupport.unpark(carrier);
        }
    }

    /** A body that records its thread, gives its carrier back, and says so. */
    private static Runnable body(AtomicReference<Thread> ranOn, CountDownLatch done) {
        return () -> {
            ranOn.set(Thread.currentThread());
            CarrierPool.release();
            done.countDown();
        };
    }

    @Test
    void aBodyThatEndsGivesItsCarrierToTheNextBody() throws InterruptedException {
        CarrierPool pool = new CarrierPool(TimeUnit.SECONDS.toNanos(30));
        AtomicReference<Thread> first = new AtomicReference<>();
        CountDownLatch firstDone = new CountDownLatch(1);
        Thread carrier = pool.carrier(body(first, firstDone), "first");
        assertThat(carrier.getName()).isEqualTo("first");
        launch(carrier);
        assertThat(firstDone.await(30, TimeUnit.SECONDS)).isTrue();
        await(() -> pool.idleCount() == 1, "the carrier back in the pool");

        AtomicReference<Thread> second = new AtomicReference<>();
        CountDownLatch secondDone = new CountDownLatch(1);
        Thread again = pool.carrier(body(second, secondDone), "second");
        launch(again);

        assertThat(secondDone.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(again).isSameAs(carrier);
        assertThat(second.get()).isSameAs(first.get()).isSameAs(carrier);
        assertThat(carrier.isDaemon()).isTrue();
    }

    @Test
    void idleCarriersEndAfterTheIdleTimeAndTheThreadCountReturnsToItsBaseline() throws InterruptedException {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        CarrierPool pool = new CarrierPool(TimeUnit.MILLISECONDS.toNanos(50));
        CountDownLatch hold = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(3);
        List<Thread> carriers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            // three bodies at once, so three carriers
            Thread carrier = pool.carrier(
                    () -> {
                        try {
                            hold.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        CarrierPool.release();
                        done.countDown();
                    },
                    "held-" + i);
            carriers.add(carrier);
            launch(carrier);
        }
        assertThat(new HashSet<>(carriers)).hasSize(3);
        hold.countDown();
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();

        await(() -> carriers.stream().noneMatch(Thread::isAlive), "every idle carrier ended");

        assertThat(pool.idleCount()).isZero();
        Set<Thread> after = new HashSet<>(Thread.getAllStackTraces().keySet());
        after.removeAll(before);
        assertThat(after).noneMatch(thread -> thread.getName().startsWith(CarrierPool.IDLE_NAME));
        assertThat(carriers).noneMatch(after::contains);
    }

    @Test
    void aCarrierTakenFromThePoolAsItsIdleTimeEndsStillRunsItsBody() throws InterruptedException {
        CarrierPool pool = new CarrierPool(1); // one nanosecond: the carrier leaves the pool almost at once
        for (int round = 0; round < 200; round++) {
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            launch(pool.carrier(body(ranOn, done), "round-" + round));
            assertThat(done.await(30, TimeUnit.SECONDS))
                    .as("round %d ran", round)
                    .isTrue();
        }
    }

    @Test
    void anInterruptMeantForThePreviousBodyDoesNotReachTheNext() throws InterruptedException {
        CarrierPool pool = new CarrierPool(TimeUnit.SECONDS.toNanos(30));
        CountDownLatch firstDone = new CountDownLatch(1);
        Thread carrier = pool.carrier(
                () -> {
                    Thread.currentThread().interrupt();
                    CarrierPool.release();
                    firstDone.countDown();
                },
                "interrupted");
        launch(carrier);
        assertThat(firstDone.await(30, TimeUnit.SECONDS)).isTrue();
        await(() -> pool.idleCount() == 1, "the carrier back in the pool");

        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        CountDownLatch secondDone = new CountDownLatch(1);
        Thread again = pool.carrier(
                () -> {
                    interrupted.set(Thread.currentThread().isInterrupted());
                    CarrierPool.release();
                    secondDone.countDown();
                },
                "next");
        launch(again);

        assertThat(secondDone.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(again).isSameAs(carrier);
        assertThat(interrupted.get()).isFalse();
    }

    /**
     * A fatal error that strikes a body after it gave its carrier back (a {@link StackOverflowError} in its last
     * hand-off, as a deep coroutine can meet) must not leave a dead thread in the pool: the next body handed to
     * that carrier would never run, and the loop that waits for it would wait for ever.
     */
    @Test
    void aFatalErrorAfterTheCarrierWasGivenBackLeavesNoDeadCarrierInThePool() throws InterruptedException {
        CarrierPool pool = new CarrierPool(TimeUnit.SECONDS.toNanos(30));
        List<Throwable> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch gaveBack = new CountDownLatch(1);
        Thread first = pool.carrier(
                () -> {
                    CarrierPool.release();
                    gaveBack.countDown();
                    throw new StackOverflowError("in the last hand-off");
                },
                "overflows");
        first.setUncaughtExceptionHandler((thread, error) -> reported.add(error));
        launch(first);
        assertThat(gaveBack.await(30, TimeUnit.SECONDS)).isTrue();
        first.join(TimeUnit.NANOSECONDS.toMillis(BOUND_NANOS));
        assertThat(first.isAlive()).as("the carrier ended with the error").isFalse();
        assertThat(reported)
                .as("the error reached the thread's handler, not dropped")
                .singleElement()
                .isInstanceOf(StackOverflowError.class)
                .extracting(Throwable::getMessage)
                .isEqualTo("in the last hand-off");
        assertThat(pool.idleCount()).as("no dead carrier left in the pool").isZero();

        AtomicReference<Thread> next = new AtomicReference<>();
        CountDownLatch nextDone = new CountDownLatch(1);
        Thread carrier = pool.carrier(body(next, nextDone), "next");
        launch(carrier);
        assertThat(nextDone.await(30, TimeUnit.SECONDS)).as("the next body ran").isTrue();
        assertThat(next.get()).isNotSameAs(first);
    }
}
