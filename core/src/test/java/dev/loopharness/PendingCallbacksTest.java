package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.spi.OwnedLoop;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which callbacks the loop lists as waiting in its ready queue: its users', not cancelled ones and not its own
 * (the done callbacks of futures belong to the future). A chain that re-posts itself shows as one callback.
 */
class PendingCallbacksTest {

    private final OwnedLoop owned = OwnedLoop.create(new VirtualClock());
    private final EventLoop loop = owned.loop();

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    @Test
    void listsTheUsersCallbacksLeavingOutCancelledOnesAndTheLoopsOwn() {
        Runnable mine = () -> {};
        Handle waiting = loop.callSoon(mine);
        loop.callSoon(() -> {}).cancel();
        LoopFuture<String> future = loop.createFuture();
        future.addDoneCallback(done -> {});
        future.setResult("done"); // schedules the done callback, the loop's own

        assertThat(owned.pendingCallbacks()).containsExactly(waiting);
    }

    @Test
    void aChainThatRepostsItselfShowsAsOneCallbackAfterEachRun() {
        AtomicInteger runs = new AtomicInteger();
        Runnable[] spin = new Runnable[1];
        spin[0] = () -> {
            runs.incrementAndGet();
            loop.callSoon(spin[0]);
        };
        loop.callSoon(spin[0]);
        for (int i = 0; i < 3; i++) {
            loop.callSoon(loop::stop);
            loop.runForever();
        }

        assertThat(runs.get()).isEqualTo(3);
        assertThat(owned.pendingCallbacks()).hasSize(1);
    }
}
