package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/**
 * Follows CPython 3.13's Lib/test/test_asyncio/test_locks.py, BarrierTests; each test names the case it follows.
 */
class LoopBarrierTest {

    private static <T> T run(Coroutine<T> main) {
        return EventLoops.run(new VirtualClock(), main);
    }

    private static void yieldOnce() {
        Async.sleep(Duration.ZERO);
    }

    private static Task<Object> party(LoopBarrier barrier) {
        return Async.createTask(() -> {
            try {
                return barrier.await();
            } catch (BrokenBarrierException e) {
                return e;
            }
        });
    }

    /** BarrierTests.test_barrier_parties. */
    @Test
    void partiesMustBePositive() {
        assertThatThrownBy(() -> new LoopBarrier(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parties must be > 0, but parties was 0");
        assertThat(new LoopBarrier(1).parties()).isEqualTo(1);
    }

    /** BarrierTests.test_filling_tasks_check_return_value and test_filling_task_by_task. */
    @Test
    void partiesGoOnTogetherWithTheirArrivalIndex() {
        List<Object> indices = run(() -> {
            LoopBarrier barrier = new LoopBarrier(3);
            List<Task<Object>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                tasks.add(party(barrier));
                yieldOnce();
                assertThat(barrier.waiting()).isEqualTo(i == 2 ? 0 : i + 1);
            }
            List<Object> results = new ArrayList<>();
            for (Task<Object> task : tasks) {
                results.add(Async.await(task));
            }
            assertThat(barrier.waiting()).isZero();
            assertThat(barrier.broken()).isFalse();
            return results;
        });
        assertThat(indices).containsExactly(0, 1, 2);
    }

    /** BarrierTests.test_filling_tasks_wait_twice: the barrier fills again for the next round. */
    @Test
    void theBarrierServesRoundAfterRound() {
        List<Integer> rounds = run(() -> {
            LoopBarrier barrier = new LoopBarrier(2);
            List<Integer> log = new ArrayList<>();
            Task<?> other = Async.createTask(() -> {
                barrier.await();
                barrier.await();
                return null;
            });
            log.add(barrier.await());
            log.add(barrier.await());
            Async.await(other);
            return log;
        });
        assertThat(rounds).containsExactly(0, 0); // this task arrives first in both rounds
    }

    /** BarrierTests.test_filling_tasks_cancel_one: a cancelled party leaves, the barrier waits for another. */
    @Test
    void aCancelledPartyLeavesAndAnotherTakesItsPlace() {
        run(() -> {
            LoopBarrier barrier = new LoopBarrier(3);
            Task<Object> t1 = party(barrier);
            yieldOnce();
            Task<Object> t2 = party(barrier);
            yieldOnce();
            assertThat(barrier.waiting()).isEqualTo(2);
            t1.cancel();
            yieldOnce();
            assertThat(barrier.waiting()).isEqualTo(1);
            assertThatThrownBy(() -> Async.await(t1)).isInstanceOf(CancellationException.class);
            Task<Object> t3 = party(barrier);
            yieldOnce();
            assertThat(barrier.waiting()).isEqualTo(2);
            Task<Object> t4 = party(barrier);
            assertThat(Async.gather(() -> Async.await(t2), () -> Async.await(t3), () -> Async.await(t4)))
                    .containsExactly(1, 1, 2); // as asyncio: the index is the count of parties waiting on arrival
            assertThat(barrier.broken()).isFalse();
            return null;
        });
    }

    /** BarrierTests.test_abort_barrier: waiting and later parties fail until reset. */
    @Test
    void abortBreaksTheBarrierForWaitingAndLaterParties() {
        run(() -> {
            LoopBarrier barrier = new LoopBarrier(2).withName("start");
            Task<Object> waiting = party(barrier);
            yieldOnce();
            barrier.abort();
            assertThat(barrier.broken()).isTrue();
            assertThat(Async.await(waiting))
                    .isInstanceOf(BrokenBarrierException.class)
                    .hasFieldOrPropertyWithValue(
                            "message",
                            "Abort or reset of barrier: LoopBarrier 'start' was aborted while this party waited");
            assertThatThrownBy(barrier::await)
                    .isInstanceOf(BrokenBarrierException.class)
                    .hasMessage("Barrier aborted: LoopBarrier 'start' is broken; reset() it to use it again");
            barrier.reset();
            assertThat(barrier.broken()).isFalse();
            Task<Object> again = party(barrier);
            assertThat(barrier.await()).isEqualTo(0); // `again` starts when this waits
            assertThat(Async.await(again)).isEqualTo(1);
            return null;
        });
    }

    /** BarrierTests.test_reset_barrier_while_tasks_waiting: waiting parties fail, the barrier is usable. */
    @Test
    void resetFailsTheWaitingPartiesAndFillsAgain() {
        run(() -> {
            LoopBarrier barrier = new LoopBarrier(3).withName("start");
            Task<Object> a = party(barrier);
            Task<Object> b = party(barrier);
            yieldOnce();
            barrier.reset();
            assertThat(Async.await(a))
                    .isInstanceOf(BrokenBarrierException.class)
                    .hasFieldOrPropertyWithValue(
                            "message",
                            "Abort or reset of barrier: LoopBarrier 'start' was reset while this party waited");
            assertThat(Async.await(b)).isInstanceOf(BrokenBarrierException.class);
            assertThat(barrier.waiting()).isZero();
            assertThat(barrier.broken()).isFalse();
            return null;
        });
    }

    /** BarrierTests.test_blocking_tasks_while_draining: a party of the next round waits for the drain. */
    @Test
    void aPartyOfTheNextRoundWaitsWhileTheLastRoundDrains() {
        List<Object> results = run(() -> {
            LoopBarrier barrier = new LoopBarrier(2);
            Task<Object> first = party(barrier);
            yieldOnce();
            Task<Object> second = party(barrier); // completes the round: draining until `first` resumes
            Task<Object> nextRound = party(barrier);
            Task<Object> nextRoundToo = party(barrier);
            return List.of(Async.await(first), Async.await(second), Async.await(nextRound), Async.await(nextRoundToo));
        });
        assertThat(results).containsExactly(0, 1, 0, 1);
    }
}
