package com.example.reminders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.loopharness.EventLoop;
import dev.loopharness.junit.WithEventLoop;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** On a virtual clock by junit-platform.properties: two hours of loop time pass at once. */
@WithEventLoop
class RemindersTest {

    @Test
    void firesInLoopTime(EventLoop loop) {
        Reminders reminders = new Reminders(loop);
        reminders.remind("stand up", Duration.ofHours(1));
        reminders.remind("go home", Duration.ofHours(3));

        assertEquals(List.of("stand up"), reminders.firedWithin(Duration.ofHours(2)));
        assertEquals(List.of("stand up", "go home"), reminders.firedWithin(Duration.ofHours(2)));
    }

    @Test
    void runsOnTheClassPath() {
        assertFalse(EventLoop.class.getModule().isNamed(), "loopharness-core is on the class path");
        assertFalse(WithEventLoop.class.getModule().isNamed(), "loopharness-junit is on the class path");
    }
}
