package dev.loopharness.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.EventLoops;
import dev.loopharness.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When the loop drops cancelled timers from its heap: once more than 100 of them make up more than half of it,
 * at the next iteration. A timer still in the heap reports {@code scheduled}; that flag is what these tests read,
 * since compaction changes nothing else a caller can see but the memory the cancelled callbacks hold.
 */
class TimerCompactionTest {

    /** Cancelled timers come after the live ones, so no iteration pops them from the top of the heap. */
    private static final Duration LIVE_DELAY = Duration.ofHours(1);

    private static final Duration CANCELLED_DELAY = Duration.ofHours(2);

    private final VirtualClock clock = new VirtualClock();
    private final EventLoop loop = EventLoops.newEventLoop(clock);

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    private List<TimerHandleImpl> schedule(int count, Duration delay) {
        List<TimerHandleImpl> timers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            timers.add((TimerHandleImpl) loop.callLater(delay, () -> {}));
        }
        return timers;
    }

    private List<TimerHandleImpl> scheduleCancelled(int count) {
        List<TimerHandleImpl> timers = schedule(count, CANCELLED_DELAY);
        timers.forEach(TimerHandleImpl::cancel);
        return timers;
    }

    /** Runs a few iterations without letting virtual time move. */
    private void iterate() {
        loop.runUntilComplete(() -> {
            Async.sleep(Duration.ZERO);
            return null;
        });
    }

    private static long stillInTheHeap(List<TimerHandleImpl> timers) {
        return timers.stream().filter(timer -> timer.scheduled).count();
    }

    @Test
    void aHundredCancelledTimersStayInTheHeap() {
        schedule(20, LIVE_DELAY);
        List<TimerHandleImpl> cancelled = scheduleCancelled(100);

        iterate();

        assertThat(stillInTheHeap(cancelled)).isEqualTo(100);
    }

    @Test
    void aHundredAndOneCancelledTimersThatAreMostOfTheHeapAreDropped() {
        List<TimerHandleImpl> live = schedule(20, LIVE_DELAY);
        List<TimerHandleImpl> cancelled = scheduleCancelled(101);

        iterate();

        assertThat(stillInTheHeap(cancelled)).isZero();
        assertThat(stillInTheHeap(live)).isEqualTo(20);
        assertThat(((DefaultEventLoop) loop).pendingTimers()).containsExactlyElementsOf(live);
    }

    @Test
    void cancelledTimersThatAreExactlyHalfOfTheHeapStayInIt() {
        schedule(150, LIVE_DELAY);
        List<TimerHandleImpl> cancelled = scheduleCancelled(150);

        iterate();

        assertThat(stillInTheHeap(cancelled)).isEqualTo(150);
    }

    @Test
    void cancelledTimersThatAreOneMoreThanHalfOfTheHeapAreDropped() {
        schedule(149, LIVE_DELAY);
        List<TimerHandleImpl> cancelled = scheduleCancelled(150);

        iterate();

        assertThat(stillInTheHeap(cancelled)).isZero();
    }

    @Test
    void theCountStartsAgainAfterACompaction() {
        schedule(20, LIVE_DELAY);
        scheduleCancelled(101);
        iterate();

        TimerHandleImpl next = scheduleCancelled(1).get(0);
        iterate();

        assertThat(next.scheduled).as("one cancelled timer after a compaction").isTrue();
    }

    @Test
    void cancelledTimersPoppedWhenDueNoLongerCount() {
        List<TimerHandleImpl> early = scheduleEarlyCancelledBesideLiveOnes();
        clock.advance(Duration.ofMinutes(90)); // the next iteration finds the early ones due

        iterate();

        assertThat(stillInTheHeap(early)).isZero();
        assertThatSixtyMoreCancelledTimersStayInTheHeap();
    }

    @Test
    void cancelledTimersPoppedWhileWaitingForTheNextTimerNoLongerCount() {
        List<TimerHandleImpl> early = scheduleEarlyCancelledBesideLiveOnes();

        // nothing ready: the loop looks for the first live timer, popping the cancelled ones above it
        loop.runUntilComplete(() -> {
            Async.sleep(Duration.ofMinutes(90));
            return null;
        });

        assertThat(stillInTheHeap(early)).isZero();
        assertThatSixtyMoreCancelledTimersStayInTheHeap();
    }

    /**
     * 45 cancelled timers due in a minute, and live ones later: too few to compact the heap, so that a count of
     * them left behind once they are popped would stay until the next cancellations push it over. Few enough too
     * that a count going the wrong way when they are popped (90) stays under the threshold: it is not reset by a
     * compaction before the next cancellations.
     */
    private List<TimerHandleImpl> scheduleEarlyCancelledBesideLiveOnes() {
        List<TimerHandleImpl> early = schedule(45, Duration.ofMinutes(1));
        early.forEach(TimerHandleImpl::cancel);
        schedule(110, Duration.ofHours(3));
        return early;
    }

    private void assertThatSixtyMoreCancelledTimersStayInTheHeap() {
        // 60 of 170: with the 45 popped ones still counted (105 of 170), or counted twice over (150 of 170), the
        // heap would be compacted
        List<TimerHandleImpl> more = scheduleCancelled(60);
        iterate();

        assertThat(stillInTheHeap(more)).isEqualTo(60);
    }
}
