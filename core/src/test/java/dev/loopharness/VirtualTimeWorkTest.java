package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class VirtualTimeWorkTest {

    @Test
    void workInAnExecutorHoldsVirtualTimeStillUntilItArrives() {
        CountDownLatch release = new CountDownLatch(1);
        try (EventLoop loop = EventLoops.newEventLoop(new VirtualClock())) {
            long elapsed = loop.runUntilComplete(() -> {
                long start = Async.loop().time();
                Async.loop().callLater(Duration.ofHours(1), () -> {});
                Async.loop().callSoon(release::countDown);
                Async.await(Async.loop().runInExecutor(null, () -> {
                    release.await();
                    return "done";
                }));
                return Async.loop().time() - start;
            });
            assertThat(elapsed).isZero();
        }
    }

    @Test
    void aWrappedForeignStageHoldsVirtualTimeStillWhileItIsCompletedWithinTheGrace() throws InterruptedException {
        CompletableFuture<String> foreign = new CompletableFuture<>();
        CountDownLatch waiting = new CountDownLatch(1);
        Thread completer = new Thread(() -> {
            try {
                waiting.await();
                foreign.complete("late but in time");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        completer.start();
        VirtualClock clock = new VirtualClock();
        // a wrapped stage holds the clock for the grace at most; generous, so a loaded machine cannot flake it
        clock.setDeadlockGrace(Duration.ofSeconds(60));
        try (EventLoop loop = EventLoops.newEventLoop(clock)) {
            String result = loop.runUntilComplete(() -> {
                Async.loop().callLater(Duration.ofHours(1), () -> {});
                LoopFuture<String> wrapped = Async.loop().wrapFuture(foreign);
                Async.loop().callSoon(waiting::countDown);
                return Async.await(wrapped) + " at " + Async.loop().time();
            });
            assertThat(result).isEqualTo("late but in time at 0");
        }
        completer.join();
    }

    @Test
    void aDeadlockInVirtualTimeFailsAtOnceSayingWhereEachTaskWaits() {
        VirtualClock clock = new VirtualClock();
        clock.setDeadlockGrace(Duration.ofMillis(10));
        try (EventLoop loop = EventLoops.newEventLoop(clock)) {
            loop.setDebug(true);
            Task<Object> stuck = loop.createTask(VirtualTimeWorkTest::waitForNothing);
            stuck.setName("stuck");
            assertThatThrownBy(() -> loop.runUntilComplete(stuck))
                    .isInstanceOf(VirtualTimeDeadlockException.class)
                    .hasMessageStartingWith("Deadlock in virtual time on <EventLoop-")
                    .hasMessageContaining("but 1 task waits for something that nothing will complete:")
                    .hasMessageContaining("task 'stuck' created at " + VirtualTimeWorkTest.class.getName())
                    .hasMessageContaining("waiting at " + VirtualTimeWorkTest.class.getName() + ".waitForNothing(");
            assertThat(loop.isRunning()).isFalse();
            assertThat(stuck.isDone()).isFalse();
        }
    }

    @Test
    void aWrappedStageThatOnlyTheLoopsOwnTimersCompleteDoesNotHangVirtualTime() {
        VirtualClock clock = new VirtualClock();
        clock.setDeadlockGrace(Duration.ofMillis(20));
        try (EventLoop loop = EventLoops.newEventLoop(clock)) {
            CompletableFuture<String> plain = new CompletableFuture<>();
            loop.callLater(Duration.ofHours(2), () -> plain.complete("completed by a timer"));
            assertThat(loop.runUntilComplete(plain)).isEqualTo("completed by a timer");
            assertThat(loop.time()).isEqualTo(Duration.ofHours(2).toNanos());
        }
    }

    private static Object waitForNothing() {
        return Async.await(Async.loop().createFuture());
    }

    @Test
    void aThresholdLetsUnseenThreadsCallBackBeforeTimeJumps() throws InterruptedException {
        VirtualClock clock = new VirtualClock();
        clock.setAutojumpThreshold(Duration.ofSeconds(30));
        try (EventLoop loop = EventLoops.newEventLoop(clock)) {
            LoopFuture<String> answer = loop.createFuture();
            Thread unseen = new Thread(() -> loop.callSoonThreadsafe(() -> answer.setResult("in time")));
            loop.callLater(Duration.ofHours(1), () -> {
                if (!answer.isDone()) {
                    answer.setResult("time jumped first");
                }
            });
            loop.callSoon(unseen::start);
            assertThat(loop.runUntilComplete(answer)).isEqualTo("in time");
            unseen.join();
        }
    }

    @Test
    void negativeKnobsAreRefusedNamingTheValue() {
        VirtualClock clock = new VirtualClock();
        assertThatThrownBy(() -> clock.setAutojumpThreshold(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threshold must not be negative: got PT-0.001S");
        assertThatThrownBy(() -> clock.setDeadlockGrace(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("grace must not be null");
    }
}
