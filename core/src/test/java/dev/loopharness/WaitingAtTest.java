package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A task's "waiting at" line shows the few frames of the user's code that lead to the wait. */
class WaitingAtTest {

    private static Object outer() {
        return middle();
    }

    private static Object middle() {
        return inner();
    }

    private static Object inner() {
        return Async.await(Async.loop().createFuture());
    }

    @Test
    void aWaitingLineShowsTheCallersThatPlaceTheWaitInTheUsersCode() {
        VirtualClock clock = new VirtualClock();
        clock.setDeadlockGrace(Duration.ofMillis(10));
        String here = WaitingAtTest.class.getName();
        try (EventLoop loop = EventLoops.newEventLoop(clock)) {
            Task<Object> stuck = loop.createTask("stuck", WaitingAtTest::outer);
            assertThatThrownBy(() -> loop.runUntilComplete(stuck))
                    .isInstanceOf(VirtualTimeDeadlockException.class)
                    .hasMessageContaining("task 'stuck', waiting at " + here + ".inner(WaitingAtTest.java:")
                    .hasMessageContaining("), called from " + here + ".middle(WaitingAtTest.java:")
                    .hasMessageContaining(") <- " + here + ".outer(WaitingAtTest.java:");
        }
    }
}
