package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What code can ask about where it runs and what a loop holds: whether it runs in a coroutine, the running loop
 * and the thread's default loop without exceptions or creation, a task's description, pending timers, the clock.
 */
class LoopIntrospectionTest {

    @Test
    @DisplayName("Async.inCoroutine(): true in a task's coroutine, false in a callback and off the loop")
    void inCoroutineTellsCoroutinesFromCallbacks() {
        try (EventLoop loop = EventLoops.newEventLoop(new VirtualClock())) {
            assertThat(Async.inCoroutine()).isFalse();
            assertThat(loop.runUntilComplete(Async::inCoroutine)).isTrue();
            AtomicReference<Boolean> inCallback = new AtomicReference<>();
            loop.callSoon(() -> {
                inCallback.set(Async.inCoroutine());
                loop.stop();
            });
            loop.runForever();
            assertThat(inCallback.get()).isFalse();
        }
    }

    @Test
    @DisplayName("EventLoops.findRunningLoop(): the loop in its callbacks and coroutines, empty elsewhere")
    void findRunningLoopIsEmptyOffTheLoop() {
        try (EventLoop loop = EventLoops.newEventLoop(new VirtualClock())) {
            assertThat(EventLoops.findRunningLoop()).isEmpty();
            assertThat(loop.runUntilComplete(EventLoops::findRunningLoop)).containsSame(loop);
            AtomicReference<EventLoop> inCallback = new AtomicReference<>();
            loop.callSoon(() -> {
                inCallback.set(EventLoops.findRunningLoop().orElse(null));
                loop.stop();
            });
            loop.runForever();
            assertThat(inCallback.get()).isSameAs(loop);
        }
    }

    @Test
    @DisplayName("EventLoops.findEventLoop(): the thread's default loop as set, never created")
    void findEventLoopNeverCreatesOne() throws InterruptedException {
        AtomicReference<Object> seen = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            boolean emptyAtFirst = EventLoops.findEventLoop().isEmpty();
            boolean stillEmpty = EventLoops.findEventLoop().isEmpty();
            EventLoop created = EventLoops.getEventLoop();
            boolean foundCreated = EventLoops.findEventLoop().orElse(null) == created;
            created.close();
            boolean foundClosed = EventLoops.findEventLoop().orElse(null) == created;
            EventLoops.setEventLoop(null);
            seen.set(List.of(
                    emptyAtFirst,
                    stillEmpty,
                    foundCreated,
                    foundClosed,
                    EventLoops.findEventLoop().isEmpty()));
        });
        thread.start();
        thread.join();
        assertThat(seen.get()).isEqualTo(List.of(true, true, true, true, true));
    }

    @Test
    @DisplayName("Task.describe(): name, creation site in debug mode, and where the task waits")
    void describeNamesTheTaskAndWhereItWaits() {
        try (EventLoop loop = EventLoops.newEventLoop(new VirtualClock())) {
            loop.setDebug(true);
            Task<Object> waiting = loop.createTask("latte", () -> {
                Async.await(loop.createFuture());
                return null;
            });
            assertThat(waiting.describe())
                    .startsWith(
                            "task 'latte' created at dev.loopharness.LoopIntrospectionTest.describeNamesTheTaskAndWhereItWaits(")
                    .endsWith(", not started or running");
            loop.runUntilComplete(() -> {
                Async.sleep(Duration.ZERO);
                return null;
            });
            assertThat(waiting.describe())
                    .startsWith(
                            "task 'latte' created at dev.loopharness.LoopIntrospectionTest.describeNamesTheTaskAndWhereItWaits(")
                    .contains(", waiting at dev.loopharness.LoopIntrospectionTest.lambda");
            waiting.cancel();
            loop.runUntilComplete(() -> {
                Async.sleep(Duration.ZERO);
                return null;
            });
            assertThat(waiting.describe()).endsWith(", done");
        }
    }

    @Test
    @DisplayName("EventLoop.pendingTimers(): earliest first, cancelled and fired ones left out, empty after close")
    void pendingTimersListsWhatIsLeft() {
        EventLoop loop = EventLoops.newEventLoop(new VirtualClock());
        TimerHandle late = loop.callLater(Duration.ofSeconds(20), () -> {});
        TimerHandle cancelled = loop.callLater(Duration.ofSeconds(5), () -> {});
        TimerHandle early = loop.callLater(Duration.ofSeconds(10), () -> {});
        cancelled.cancel();
        assertThat(loop.pendingTimers()).containsExactly(early, late);
        loop.runUntilComplete(() -> {
            Async.sleep(Duration.ofSeconds(15));
            return null;
        });
        assertThat(loop.pendingTimers()).containsExactly(late);
        loop.close();
        assertThat(loop.pendingTimers()).isEmpty();
    }

    @Test
    @DisplayName("EventLoop.clock() and isVirtualTime(): the clock given, virtual or not")
    void clockAndVirtualTime() {
        VirtualClock virtual = new VirtualClock();
        try (EventLoop inVirtualTime = EventLoops.newEventLoop(virtual);
                EventLoop inRealTime = EventLoops.newEventLoop()) {
            assertThat(inVirtualTime.clock()).isSameAs(virtual);
            assertThat(inVirtualTime.isVirtualTime()).isTrue();
            assertThat(inRealTime.clock()).isSameAs(LoopClock.system());
            assertThat(inRealTime.isVirtualTime()).isFalse();
        }
    }
}
