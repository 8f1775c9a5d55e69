package dev.loopharness.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The frame where creation sites stop is a method the class checks it has, not a bare name. */
class RunFrameTest {

    @Test
    void theRunFrameIsAMethodOfTheLoopsRun() throws NoSuchMethodException {
        assertThat(LoopRun.class
                        .getDeclaredMethod(LoopRun.RUN_FRAME, boolean.class)
                        .getName())
                .isEqualTo(LoopRun.RUN_FRAME);
    }

    @Test
    void aRenamedMethodFailsLoudly() {
        assertThatThrownBy(() -> LoopRun.declaredMethod("runThere", boolean.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Internal error: LoopRun has no method runThere[boolean]; CallSites needs it")
                .hasCauseInstanceOf(NoSuchMethodException.class);
    }
}
