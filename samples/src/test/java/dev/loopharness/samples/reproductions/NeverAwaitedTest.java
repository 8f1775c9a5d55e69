package dev.loopharness.samples.reproductions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.EventLoops;
import dev.loopharness.ExceptionContext;
import dev.loopharness.VirtualClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class NeverAwaitedTest {

    @Test
    void asyncCodeOutsideACoroutineIsRefusedWithTheFix() {
        assertThatThrownBy(NeverAwaited::pauseOutsideACoroutine)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Async.sleep() must be called inside a coroutine running on an event loop")
                .hasMessageContaining("EventLoops.run(() -> ...) or loop.runUntilComplete(() -> ...)");
        assertThatThrownBy(() -> Async.await(new CompletableFuture<String>()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Async.await() must be called inside a coroutine");
    }

    @Test
    void aTaskNobodyAwaitsFailsUnseenAndIsReportedAsNeverRetrieved() {
        List<ExceptionContext> reports = new ArrayList<>();
        String told;
        try (EventLoop loop = EventLoops.newEventLoop(new VirtualClock())) {
            loop.setExceptionHandler((l, context) -> reports.add(context));
            told = NeverAwaited.placeOrder(loop);
        }

        assertThat(told).isEqualTo("order placed");
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).message()).isEqualTo("Task exception was never retrieved");
        assertThat(reports.get(0).exception())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("mail server refused the message");
        assertThat(reports.get(0).task())
                .hasValueSatisfying(task -> assertThat(task.getName()).isEqualTo("confirmation-email"));
    }

    @Test
    void awaitingWhatYouStartBringsItsFailureToYou() {
        assertThat(NeverAwaited.placeOrderFixed())
                .isEqualTo("order placed, but the confirmation failed: mail server refused the message");
        assertThat(new NeverAwaited().run().behavedAsDocumented()).isTrue();
    }
}
