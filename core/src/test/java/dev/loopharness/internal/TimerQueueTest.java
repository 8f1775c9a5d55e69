package dev.loopharness.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.VirtualClock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The timer heap: (deadline, sequence) order under random adds and polls, compaction, clearing. */
class TimerQueueTest {

    private static final Comparator<TimerHandleImpl> BY_DEADLINE_THEN_SEQUENCE =
            Comparator.<TimerHandleImpl>comparingLong(timer -> timer.when).thenComparingLong(timer -> timer.sequence);

    private final DefaultEventLoop loop = new DefaultEventLoop(new VirtualClock());
    private final TimerQueue queue = new TimerQueue();
    private long sequence;

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    private TimerHandleImpl timer(long when) {
        return new TimerHandleImpl(loop, () -> {}, null, when, sequence++);
    }

    private List<TimerHandleImpl> drain() {
        List<TimerHandleImpl> polled = new ArrayList<>();
        int wrong = 0;
        while (!queue.isEmpty()) {
            TimerHandleImpl peeked = queue.peek();
            TimerHandleImpl next = queue.poll();
            if (next == null || next != peeked || next.scheduled) {
                wrong++;
            }
            polled.add(next);
        }
        assertThat(wrong)
                .as("polls that were not the peeked timer, or left it marked scheduled")
                .isZero();
        return polled;
    }

    @Test
    void anEmptyQueueHasNothingToPeek() {
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.size()).isZero();
        assertThat(queue.peek()).isNull();
    }

    @Test
    void addMarksATimerScheduledAndPollUnmarksIt() {
        TimerHandleImpl timer = timer(5);

        queue.add(timer);
        assertThat(timer.scheduled).isTrue();
        assertThat(queue.size()).isEqualTo(1);

        assertThat(queue.poll()).isSameAs(timer);
        assertThat(timer.scheduled).isFalse();
        assertThat(queue.isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 2L, 3L, 4_711L})
    void pollsComeOutByDeadlineThenSequenceUnderRandomAddsAndPolls(long seed) {
        Random random = new Random(seed);
        PriorityQueue<TimerHandleImpl> reference = new PriorityQueue<>(BY_DEADLINE_THEN_SEQUENCE);
        List<TimerHandleImpl> polled = new ArrayList<>();
        List<TimerHandleImpl> expected = new ArrayList<>();
        int sizeMismatches = 0;
        for (int step = 0; step < 20_000; step++) {
            if (reference.isEmpty() || random.nextInt(3) != 0) {
                // few distinct deadlines, some negative: many ties, which must come out first-in first-out
                TimerHandleImpl timer = timer(random.nextInt(200) - 20);
                queue.add(timer);
                reference.add(timer);
            } else {
                polled.add(queue.poll());
                expected.add(reference.poll());
            }
            if (queue.size() != reference.size()) {
                sizeMismatches++;
            }
        }
        while (!reference.isEmpty()) {
            expected.add(reference.poll());
        }
        polled.addAll(drain());

        assertThat(sizeMismatches)
                .as("seed %d: steps where the sizes differ", seed)
                .isZero();
        // isEqualTo, not containsExactlyElementsOf: the latter's diff is quadratic in the list's size
        assertThat(polled).as("seed %d", seed).isEqualTo(expected);
    }

    @Test
    void timersWithTheSameDeadlineComeOutInSchedulingOrder() {
        List<TimerHandleImpl> added = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            TimerHandleImpl timer = timer(7);
            added.add(timer);
            queue.add(timer);
        }

        assertThat(drain()).containsExactlyElementsOf(added);
    }

    @Test
    void removeCancelledDropsCancelledTimersAndKeepsTheOrderOfTheRest() {
        Random random = new Random(99);
        List<TimerHandleImpl> live = new ArrayList<>();
        List<TimerHandleImpl> cancelled = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            TimerHandleImpl timer = timer(random.nextInt(500));
            queue.add(timer);
            if (random.nextBoolean()) {
                timer.cancel();
                cancelled.add(timer);
            } else {
                live.add(timer);
            }
        }

        queue.removeCancelled();

        assertThat(queue.size()).isEqualTo(live.size());
        assertThat(cancelled).allSatisfy(timer -> assertThat(timer.scheduled).isFalse());
        assertThat(live).allSatisfy(timer -> assertThat(timer.scheduled).isTrue());
        live.sort(BY_DEADLINE_THEN_SEQUENCE);
        assertThat(drain()).isEqualTo(live);
    }

    @Test
    void theQueueStaysAHeapWhenTimersAreAddedAfterACompaction() {
        List<TimerHandleImpl> live = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            TimerHandleImpl timer = timer(300 - i);
            queue.add(timer);
            if (i % 3 == 0) {
                timer.cancel();
            } else {
                live.add(timer);
            }
        }
        queue.removeCancelled();
        for (int i = 0; i < 300; i++) {
            TimerHandleImpl timer = timer(i % 50);
            queue.add(timer);
            live.add(timer);
        }

        live.sort(BY_DEADLINE_THEN_SEQUENCE);
        assertThat(drain()).containsExactlyElementsOf(live);
    }

    @Test
    void removeCancelledOfOnlyCancelledTimersEmptiesTheQueue() {
        for (int i = 0; i < 50; i++) {
            TimerHandleImpl timer = timer(i);
            queue.add(timer);
            timer.cancel();
        }

        queue.removeCancelled();

        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.peek()).isNull();
    }

    @Test
    void clearHandsEveryTimerOverAndEmptiesTheQueue() {
        List<TimerHandleImpl> added = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            TimerHandleImpl timer = timer(40 - i);
            added.add(timer);
            queue.add(timer);
        }
        List<TimerHandleImpl> handed = new ArrayList<>();

        queue.clear(handed::add);

        assertThat(handed).containsExactlyInAnyOrderElementsOf(added);
        assertThat(added).allSatisfy(timer -> assertThat(timer.scheduled).isFalse());
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.peek()).isNull();
    }

    @Test
    void forEachVisitsEveryTimer() {
        List<TimerHandleImpl> added = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            TimerHandleImpl timer = timer(i * 7 % 13);
            added.add(timer);
            queue.add(timer);
        }
        List<TimerHandleImpl> visited = new ArrayList<>();

        queue.forEach(visited::add);

        assertThat(visited).containsExactlyInAnyOrderElementsOf(added);
        assertThat(queue.size()).isEqualTo(40);
    }

    /** The loop's own queue: a timer's cancel counts there, as it does while the loop runs. */
    private TimerHandleImpl loopTimer(long when) {
        TimerHandleImpl timer = new TimerHandleImpl(loop, () -> {}, null, when, loop.timers.nextSequence());
        loop.timers.add(timer);
        return timer;
    }

    @Test
    void moveDueMovesTheDueTimersInOrderAndSkipsAndUncountsCancelledOnes() {
        TimerQueue timers = loop.timers;
        TimerHandleImpl late = loopTimer(30);
        TimerHandleImpl second = loopTimer(10);
        TimerHandleImpl cancelled = loopTimer(5);
        TimerHandleImpl first = loopTimer(5);
        cancelled.cancel();
        assertThat(timers.cancelledCount()).isEqualTo(1);
        java.util.ArrayDeque<ReadyHandle> ready = new java.util.ArrayDeque<>();

        timers.moveDue(10, ready, null);

        assertThat(ready).containsExactly(first, second);
        assertThat(timers.cancelledCount()).isZero();
        assertThat(timers.size()).isEqualTo(1);
        assertThat(timers.firstLive()).isSameAs(late);
    }

    @Test
    void aCompactionKeepsTheLiveTimersInDeadlineOrder() {
        Random random = new Random(20);
        for (int round = 0; round < 200; round++) {
            TimerQueue heap = new TimerQueue();
            List<TimerHandleImpl> live = new ArrayList<>();
            int count = 1 + random.nextInt(40);
            for (int i = 0; i < count; i++) {
                TimerHandleImpl timer = timer(random.nextInt(100));
                heap.add(timer);
                if (random.nextBoolean()) {
                    timer.cancel();
                } else {
                    live.add(timer);
                }
            }

            heap.removeCancelled();

            live.sort(BY_DEADLINE_THEN_SEQUENCE);
            List<TimerHandleImpl> polled = new ArrayList<>();
            while (!heap.isEmpty()) {
                polled.add(heap.poll());
            }
            assertThat(polled).as("round %d, %d timers", round, count).containsExactlyElementsOf(live);
        }
    }

    @Test
    void firstLiveDropsTheCancelledTimersAboveTheFirstLiveOne() {
        TimerQueue timers = loop.timers;
        loopTimer(1).cancel();
        loopTimer(2).cancel();
        TimerHandleImpl live = loopTimer(3);

        assertThat(timers.firstLive()).isSameAs(live);
        assertThat(timers.cancelledCount()).isZero();
        assertThat(timers.size()).isEqualTo(1);
    }

    @Test
    void moveDueCompactsOnlyWhenManyCancelledTimersMakeUpOverHalfTheQueue() {
        TimerQueue timers = loop.timers;
        int many = TimerQueue.MIN_CANCELLED_TO_COMPACT + 1;
        for (int i = 0; i < many; i++) {
            loopTimer(1_000 + i).cancel();
        }
        for (int i = 0; i < many; i++) {
            loopTimer(2_000 + i);
        }
        java.util.ArrayDeque<ReadyHandle> ready = new java.util.ArrayDeque<>();

        timers.moveDue(0, ready, null);
        assertThat(timers.size()).as("half cancelled, not over half: kept").isEqualTo(2 * many);

        loopTimer(3_000).cancel();
        timers.moveDue(0, ready, null);

        assertThat(timers.size()).isEqualTo(many);
        assertThat(timers.cancelledCount()).isZero();
        assertThat(ready).isEmpty();
    }

    @Test
    void pendingListsTheLiveTimersEarliestFirst() {
        TimerHandleImpl b = loopTimer(20);
        loopTimer(5).cancel();
        TimerHandleImpl a = loopTimer(10);
        TimerHandleImpl c = loopTimer(20);

        assertThat(loop.timers.pending()).containsExactly(a, b, c);
    }
}
