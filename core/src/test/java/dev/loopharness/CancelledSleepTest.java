package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** A task cancelled in {@code Async.sleep} takes its timer with it. */
class CancelledSleepTest {

    @Test
    void aCancelledSleepLeavesNoTimerForVirtualTimeToJumpTo() {
        VirtualClock clock = new VirtualClock();
        clock.setDeadlockGrace(Duration.ofMillis(10));
        try (EventLoop loop = EventLoops.newEventLoop(clock)) {
            Task<Void> sleeper = loop.createTask(() -> {
                Async.sleep(Duration.ofHours(1));
                return null;
            });
            loop.runUntilComplete(() -> {
                Async.sleep(Duration.ZERO);
                return sleeper.cancel();
            });
            assertThatThrownBy(() -> loop.runUntilComplete(sleeper)).isInstanceOf(CancellationException.class);

            // With the sleep's timer still armed, the clock would jump an hour before the loop saw the deadlock.
            Task<Object> stuck = loop.createTask(() -> Async.await(loop.createFuture()));
            assertThatThrownBy(() -> loop.runUntilComplete(stuck)).isInstanceOf(VirtualTimeDeadlockException.class);
            assertThat(loop.time()).isLessThan(Duration.ofHours(1).toNanos());
        }
    }
}
