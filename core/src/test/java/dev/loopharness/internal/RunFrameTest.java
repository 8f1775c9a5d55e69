package dev.loopharness.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The frame where creation sites stop is a method the class checks it has, not a bare name. */
class RunFrameTest {

    @Test
    void theRunFrameIsAMethodOfTheLoop() throws NoSuchMethodException {
        assertThat(DefaultEventLoop.class
                        .getDeclaredMethod(DefaultEventLoop.RUN_FRAME, boolean.class)
                        .getName())
                .isEqualTo(DefaultEventLoop.RUN_FRAME);
    }

    @Test
    void aRenamedMethodFailsLoudly() {
        assertThatThrownBy(() -> DefaultEventLoop.declaredMethod("runThere", boolean.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Internal error: DefaultEventLoop has no method runThere[boolean]; CallSites needs it")
                .hasCauseInstanceOf(NoSuchMethodException.class);
    }
}
