package com.example.reminders;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A user's code: reminders that fire on an event loop after a delay. */
public final class Reminders {
    private final EventLoop loop;
    private final List<String> fired = new ArrayList<>();

    public Reminders(EventLoop loop) {
        this.loop = loop;
    }

    public void remind(String what, Duration after) {
        loop.callLater(after, () -> fired.add(what));
    }

    /** Waits, as a coroutine, until the loop's clock has moved on by {@code time}. */
    public List<String> firedWithin(Duration time) {
        Async.sleep(time);
        return List.copyOf(fired);
    }
}
