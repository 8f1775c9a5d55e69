package dev.loopharness.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The loop's state diagram: exactly these changes, and no others. */
class LoopStateTest {

    private static Set<LoopState> next(LoopState from) {
        Set<LoopState> reachable = EnumSet.noneOf(LoopState.class);
        for (LoopState to : LoopState.values()) {
            if (from.canBecome(to)) {
                reachable.add(to);
            }
        }
        return reachable;
    }

    @Test
    void aLoopThatDoesNotRunMayStartRunningStartStoppingOrClose() {
        assertThat(next(LoopState.NOT_RUNNING))
                .containsExactlyInAnyOrder(LoopState.RUNNING, LoopState.STOPPING, LoopState.CLOSED);
    }

    @Test
    void aRunningLoopMayStopOrEndItsRunButNotClose() {
        assertThat(next(LoopState.RUNNING)).containsExactlyInAnyOrder(LoopState.STOPPING, LoopState.NOT_RUNNING);
    }

    @Test
    void aStoppingLoopCanOnlyEndItsRun() {
        assertThat(next(LoopState.STOPPING)).containsExactly(LoopState.NOT_RUNNING);
    }

    @Test
    void aClosedLoopStaysClosed() {
        assertThat(next(LoopState.CLOSED)).isEmpty();
    }

    @Test
    void onlyRunningAndStoppingCountAsRunning() {
        assertThat(EnumSet.allOf(LoopState.class))
                .filteredOn(LoopState::isRunning)
                .containsExactlyInAnyOrder(LoopState.RUNNING, LoopState.STOPPING);
    }
}
