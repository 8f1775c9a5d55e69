package dev.loopharness.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.EventLoopClosedException;
import dev.loopharness.LoopFuture;
import dev.loopharness.Task;
import dev.loopharness.TimerHandle;
import dev.loopharness.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The SPI a harness uses on a loop it owns, through its public types only. */
class OwnedLoopTest {

    private final OwnedLoop owned = OwnedLoop.create(new VirtualClock());
    private final EventLoop loop = owned.loop();

    @Test
    void theGuardRefusesCloseAndStopNamingTheOwnerUntilTheOwnerShutsTheLoopDown() {
        owned.guard("the class \"FooTest\"");
        assertThatThrownBy(loop::close)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Cannot close " + loop + ": it is owned by the class \"FooTest\", which");
        assertThatThrownBy(loop::stop)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Cannot stop " + loop + ": it is owned by the class \"FooTest\"");
        owned.allowStop(true);
        loop.callSoon(loop::stop);
        loop.runForever();
        owned.allowStop(false);

        Task<Object> pending = loop.createTask(() -> Async.await(loop.createFuture()));
        owned.shutdownAsOwner("the class \"FooTest\"");
        assertThat(loop.isClosed()).isTrue();
        assertThat(pending.isCancelled()).isTrue();
        assertThatThrownBy(() -> loop.callSoon(() -> {}))
                .isInstanceOf(EventLoopClosedException.class)
                .hasMessageContaining("the class \"FooTest\" when its scope ended");
        assertThatThrownBy(() -> owned.shutdownAsOwner(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("ownerDescription must not be null");
    }

    @Test
    void workIsTaggedByWhoCreatedItTransitively() {
        owned.tagWork("scope", (parent, site) -> parent + "/child");
        Task<TimerHandle> task = owned.createTask(() -> loop.callLater(Duration.ofHours(1), () -> {}), "test-a");
        TimerHandle timer = loop.runUntilComplete(task);
        assertThat(OwnedLoop.tagOf(task)).isEqualTo("test-a");
        assertThat(OwnedLoop.tagOf(timer)).isEqualTo("test-a/child");
        assertThat(OwnedLoop.tagOf(loop.callSoon(() -> {}))).isEqualTo("scope");
        assertThat(OwnedLoop.tagOf("not work")).isNull();
        assertThatThrownBy(() -> owned.tagWork(null, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("inheritance must not be null");
        loop.close();
    }

    @Test
    void cancelWorkCancelsTheScheduledExecutorTaskBehindATimer() {
        ScheduledFuture<?> scheduled = loop.asScheduledExecutorService().schedule(() -> {}, 1, TimeUnit.HOURS);
        loop.runUntilComplete(() -> {
            Async.sleep(Duration.ZERO); // the view's request, posted from off the loop, arms its timer
            return null;
        });
        List<TimerHandle> timers = loop.pendingTimers();
        assertThat(timers).hasSize(1);
        OwnedLoop.cancelWork(timers.get(0));
        assertThat(scheduled.isCancelled()).isTrue();
        assertThat(loop.pendingTimers()).isEmpty();
        assertThatThrownBy(() -> OwnedLoop.cancelWork(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("handle must not be null");
        loop.close();
    }

    @Test
    void anUnretrievedFailureIsListedUntilForgotten() {
        LoopFuture<Object> failed = loop.createFuture();
        IllegalStateException failure = new IllegalStateException("lost");
        failed.setException(failure);
        assertThat(owned.unretrievedFailures()).containsExactly(failed);
        owned.forgetFailure(failed);
        assertThat(owned.unretrievedFailures()).isEmpty();
        assertThatThrownBy(() -> owned.forgetFailure(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("future must not be null");
        loop.close();
    }

    @Test
    void whatTheCloseDroppedIsDescribedOnlyWhenSomethingWas() {
        assertThat(owned.droppedAtClose()).isEmpty();
        loop.callLater(Duration.ofHours(1), () -> {});
        loop.close();
        assertThat(owned.droppedAtClose())
                .contains("0 callbacks, 1 timers, 0 callbacks from other threads, 0 executor-view tasks");
    }

    @Test
    void nothingHoldsTheClockAndNoTaskRunsOnAnIdleLoop() {
        assertThat(owned.workHoldingTheClock()).isEmpty();
        assertThat(owned.runningTaskThread()).isNull();
        assertThat(owned.giveUpBlockedStep()).isFalse();
        CompletableFuture<String> elsewhere = new CompletableFuture<>();
        LoopFuture<String> declared = loop.wrapFuture(elsewhere);
        assertThat(owned.workHoldingTheClock()).hasSize(1);
        elsewhere.complete("done");
        assertThat(loop.runUntilComplete(declared)).isEqualTo("done");
        assertThat(owned.workHoldingTheClock()).isEmpty();
        loop.close();
    }

    @Test
    void aSeededScheduleIsExploredAndReportsItsDecisions() {
        ExploredSchedule schedule =
                ExploredSchedule.seeded(ExploredSchedule.Strategy.UNIFORM, 42, Duration.ofMillis(5), null);
        owned.explore(schedule);
        loop.runUntilComplete(() -> {
            Async.sleep(Duration.ofMillis(10));
            return null;
        });
        assertThat(schedule.decisions()).isNotEmpty();
        assertThat(schedule.decisions().get(0).index()).isZero();
        assertThat(schedule.decisions().get(0).trace()).startsWith("#0 late=");
        assertThat(schedule.departures()).allMatch(ExploredSchedule.Decision::departed);
        assertThat(ExploredSchedule.mixSeed(1))
                .isEqualTo(ExploredSchedule.mixSeed(1))
                .isNotEqualTo(1);
        ExploredSchedule foreign = new ExploredSchedule() {
            @Override
            public List<Decision> decisions() {
                return List.of();
            }

            @Override
            public List<Decision> departures() {
                return List.of();
            }

            @Override
            public String toString() {
                return "a schedule of my own";
            }
        };
        assertThatThrownBy(() -> owned.explore(foreign))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("schedule must come from ExploredSchedule.seeded(...): got a schedule of my own");
        loop.close();
    }

    @Test
    void diagnosticsTrimAndFormatFrames() {
        StackTraceElement user = new StackTraceElement("com.example.Cafe", "brew", "Cafe.java", 12);
        StackTraceElement jdk = new StackTraceElement("java.lang.Thread", "run", "Thread.java", 840);
        assertThat(Diagnostics.format(user)).isEqualTo("com.example.Cafe.brew(Cafe.java:12)");
        assertThat(Diagnostics.format(null)).isEqualTo("unknown");
        assertThat(Diagnostics.userFrames(new StackTraceElement[] {user, jdk})).containsExactly(user);
        assertThatThrownBy(() -> Diagnostics.userFrames(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("frames must not be null");
        assertThatThrownBy(() -> Diagnostics.registerLibrary(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("anchor must not be null");
        assertThatThrownBy(() -> OwnedLoop.create(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("clock must not be null");
    }
}
