package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AsyncMisuseTest {

    @Test
    void asyncOutsideACoroutineSaysHowToStartOne() {
        assertThatThrownBy(() -> Async.sleep(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Async.sleep() must be called inside a coroutine running on an event loop")
                .hasMessageContaining("EventLoops.run(() -> ...) or loop.runUntilComplete(() -> ...)");
        assertThatThrownBy(() -> Async.await(new java.util.concurrent.CompletableFuture<>()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Async.await() must be called inside a coroutine");
        assertThatThrownBy(Async::currentTask)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Async.currentTask() must be called inside a coroutine");
    }

    @Test
    void asyncInsideACallbackSaysCallbacksCannotSuspend() {
        try (EventLoop loop = EventLoops.newEventLoop()) {
            Throwable[] caught = new Throwable[1];
            loop.callSoon(() -> {
                try {
                    Async.sleep(Duration.ZERO);
                } catch (IllegalStateException e) {
                    caught[0] = e;
                }
                loop.stop();
            });
            loop.runForever();
            assertThat(caught[0])
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("called from a callback of")
                    .hasMessageContaining("callbacks cannot suspend")
                    .hasMessageEndingWith("loop.createTask(() -> ...)");
        }
    }

    @Test
    void runUntilCompleteFromTheLoopsOwnCoroutineSaysToUseAwait() {
        try (EventLoop loop = EventLoops.newEventLoop()) {
            assertThatThrownBy(() -> loop.runUntilComplete(() -> loop.runUntilComplete(() -> 1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("This event loop is already running")
                    .hasMessageContaining("use Async.await(...)");
        }
    }

    @Test
    void runningAnotherLoopInsideACoroutineIsRefused() {
        try (EventLoop outer = EventLoops.newEventLoop();
                EventLoop inner = EventLoops.newEventLoop()) {
            assertThatThrownBy(() -> outer.runUntilComplete(() -> inner.runUntilComplete(() -> 1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Cannot run the event loop while another loop is running");
        }
    }

    @Test
    void awaitingAFutureOfAnotherLoopIsRefusedNamingBothLoops() {
        try (EventLoop mine = EventLoops.newEventLoop();
                EventLoop other = EventLoops.newEventLoop()) {
            LoopFuture<String> foreign = other.createFuture();
            assertThatThrownBy(() -> mine.runUntilComplete(() -> Async.await(foreign)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageMatching(
                            "<LoopFuture pending> belongs to <EventLoop-\\d+ not running>, not to"
                                    + " <EventLoop-\\d+ running>; to pass a result between loops, use toCompletableFuture\\(\\)");
        }
    }

    @Test
    void eventLoopsRunInsideARunningLoopIsRefused() {
        assertThatThrownBy(() -> EventLoops.run(() -> EventLoops.run(() -> 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("EventLoops.run() cannot be called from a running event loop");
    }

    @Test
    void nullArgumentsAreRefusedNamingTheParameter() {
        assertThatThrownBy(() -> EventLoops.run(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("main must not be null");
        assertThatThrownBy(() -> EventLoops.run(() -> Async.await(null)))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("future must not be null");
        assertThatThrownBy(() -> EventLoops.run(() -> {
                    Async.sleep(null);
                    return null;
                }))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("duration must not be null");
        assertThatThrownBy(() -> EventLoops.run(() -> Async.waitFor(() -> 1, null)))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("timeout must not be null");
        try (EventLoop loop = EventLoops.newEventLoop()) {
            assertThatThrownBy(() -> loop.createTask(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("coroutine must not be null");
        }
    }
}
