package com.example.reminders;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.reminders.testing.ReminderTest;
import dev.loopharness.EventLoop;
import dev.loopharness.junit.WithEventLoop;
import java.time.Duration;
import java.util.List;

/** Patched into the module com.example.reminders, with both loopharness artifacts on the module path. */
class RemindersTest {

    @ReminderTest
    void firesInLoopTime(EventLoop loop) {
        Reminders reminders = new Reminders(loop);
        reminders.remind("stand up", Duration.ofHours(1));
        reminders.remind("go home", Duration.ofHours(3));

        assertEquals(List.of("stand up"), reminders.firedWithin(Duration.ofHours(2)));
        assertEquals(List.of("stand up", "go home"), reminders.firedWithin(Duration.ofHours(2)));
    }

    @ReminderTest
    void runsOnTheModulePath() {
        assertEquals("com.example.reminders", getClass().getModule().getName());
        assertEquals("dev.loopharness.core", EventLoop.class.getModule().getName());
        assertEquals("dev.loopharness.junit", WithEventLoop.class.getModule().getName());
    }
}
