package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopharness.spi.OwnedLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The three rules for foreign stages in virtual time: a stage the loop settles itself costs no real time, declared
 * work holds the clock until it settles, and undeclared work another thread completes after time jumped is
 * reported.
 */
class ForeignStagesInVirtualTimeTest {

    private final List<ExceptionContext> reports = new CopyOnWriteArrayList<>();

    private EventLoop loopOn(VirtualClock clock) {
        return configure(EventLoops.newEventLoop(clock));
    }

    /** A loop with its harness hooks, which read the work that holds the clock and set how a report is made. */
    private OwnedLoop ownedOn(VirtualClock clock) {
        OwnedLoop owned = OwnedLoop.create(clock);
        configure(owned.loop());
        return owned;
    }

    private EventLoop configure(EventLoop loop) {
        loop.setDebug(true);
        // on a loaded machine a step may be slow; only the reports of foreign work matter here
        loop.setSlowCallbackDuration(Duration.ofHours(1));
        loop.setExceptionHandler((l, context) -> reports.add(context));
        return loop;
    }

    /** Before, each await held the clock for the deadlock grace: an hour here, so this test would time out. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void awaitingAStageTheLoopsOwnTimersCompleteCostsNoGrace() {
        VirtualClock clock = new VirtualClock();
        clock.setDeadlockGrace(Duration.ofHours(1));
        try (EventLoop loop = loopOn(clock)) {
            int attempts = loop.runUntilComplete(() -> {
                int count = 0;
                for (; count < 40; count++) {
                    CompletableFuture<String> retry = new CompletableFuture<>();
                    Async.loop().callLater(Duration.ofSeconds(90), () -> retry.complete("attempt"));
                    Async.await(retry);
                }
                return count;
            });
            assertThat(attempts).isEqualTo(40);
            assertThat(loop.time()).isEqualTo(Duration.ofSeconds(90 * 40).toNanos());
        }
        assertThat(reports).isEmpty();
    }

    @Test
    void aWrappedStageHoldsTheClockUntilItSettlesPastTheGraceAndSaysSoMeanwhile() throws Exception {
        VirtualClock clock = new VirtualClock();
        clock.setDeadlockGrace(Duration.ofMillis(10));
        CompletableFuture<String> server = new CompletableFuture<>();
        CountDownLatch awaiting = new CountDownLatch(1);
        AtomicReference<List<String>> held = new AtomicReference<>();
        OwnedLoop owned = ownedOn(clock);
        try (EventLoop loop = owned.loop()) {
            Thread completer = new Thread(() -> {
                try {
                    awaiting.await();
                    Thread.sleep(300); // thirty times the grace: a hold that ended with the grace lets time jump
                    held.set(owned.workHoldingTheClock());
                    server.complete("answer");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            completer.start();
            String result = loop.runUntilComplete(() -> {
                Async.loop().callLater(Duration.ofSeconds(2), () -> {});
                LoopFuture<String> call = Async.loop().wrapFuture(server);
                Async.loop().callSoon(awaiting::countDown);
                return Async.await(call) + " at " + Async.loop().time();
            });
            completer.join();
            assertThat(result).isEqualTo("answer at 0");
            assertThat(owned.workHoldingTheClock()).isEmpty();
        }
        assertThat(held.get())
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith(
                        "wrapFuture(CompletableFuture) started at " + getClass().getName())
                .contains(", in flight for ")
                .endsWith(" s of real time");
        assertThat(reports).isEmpty();
    }

    @Test
    void workInAnExecutorIsNamedWhileItHoldsTheClock() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<List<String>> held = new AtomicReference<>();
        OwnedLoop owned = ownedOn(new VirtualClock());
        try (EventLoop loop = owned.loop()) {
            loop.runUntilComplete(() -> {
                LoopFuture<String> work = Async.loop().runInExecutor(null, () -> {
                    release.await();
                    return "done";
                });
                held.set(owned.workHoldingTheClock());
                release.countDown();
                return Async.await(work);
            });
        }
        assertThat(held.get())
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("runInExecutor(lambda in " + getClass().getName() + ") started at "
                        + getClass().getName());
    }

    @Test
    void anUndeclaredStageCompletedByAnotherThreadAfterTimeJumpedIsReportedWithTheFix() throws Exception {
        VirtualClock clock = new VirtualClock();
        clock.setDeadlockGrace(Duration.ofSeconds(60));
        CompletableFuture<String> server = new CompletableFuture<>();
        CountDownLatch jumped = new CountDownLatch(1);
        Thread completer = completeWhenOpen(server, jumped, "http-worker");
        try (EventLoop loop = loopOn(clock)) {
            String result = loop.runUntilComplete(loop.createTask("fetch", () -> {
                Async.loop().callLater(Duration.ofSeconds(2), jumped::countDown);
                return awaitServer(server);
            }));
            assertThat(result).isEqualTo("late");
        }
        completer.join();
        assertThat(reports).singleElement().satisfies(report -> {
            assertThat(report.message()).isEqualTo("Undeclared work on another thread");
            assertThat(report.task().map(Task::getName)).contains("fetch");
            assertThat(report.exception())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Virtual time jumped 2.000 s while task 'fetch' awaited a"
                            + " CompletableFuture at " + getClass().getName()
                            + ".awaitServer(ForeignStagesInVirtualTimeTest.java:")
                    .hasMessageEndingWith("), which thread \"http-worker\" then completed: the loop cannot see"
                            + " work on threads it does not own, so its timers ran ahead of that work. Declare the"
                            + " work so that virtual time holds still until it settles: await"
                            + " loop.wrapFuture(stage) instead of the stage, or run it with"
                            + " loop.runInExecutor(...).");
        });
    }

    /** Starts a thread that completes the stage with "late" once the latch opens. */
    private static Thread completeWhenOpen(CompletableFuture<String> stage, CountDownLatch open, String name) {
        Thread completer = new Thread(
                () -> {
                    try {
                        open.await();
                        stage.complete("late");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                name);
        completer.start();
        return completer;
    }

    private static String awaitServer(CompletableFuture<String> server) {
        return Async.await(server);
    }

    @Test
    void theReportOfAnUndeclaredCompletionCanBeAWarning() throws Exception {
        VirtualClock clock = new VirtualClock();
        clock.setDeadlockGrace(Duration.ofSeconds(60));
        CompletableFuture<String> server = new CompletableFuture<>();
        CountDownLatch jumped = new CountDownLatch(1);
        Thread completer = completeWhenOpen(server, jumped, "worker");
        OwnedLoop owned = ownedOn(clock);
        owned.setUndeclaredCompletionFails(false);
        try (EventLoop loop = owned.loop()) {
            loop.runUntilComplete(() -> {
                Async.loop().callLater(Duration.ofMinutes(5), jumped::countDown);
                return Async.await(server);
            });
        }
        completer.join();
        assertThat(reports).singleElement().satisfies(report -> {
            assertThat(report.exception()).isNull();
            assertThat(report.message()).startsWith("Virtual time jumped 300.000 s while task '");
        });
    }

    @Test
    void anUndeclaredStageThatNothingCompletesIsADeadlockThatNamesTheRemedies() {
        VirtualClock clock = new VirtualClock();
        clock.setDeadlockGrace(Duration.ofMillis(10));
        try (EventLoop loop = loopOn(clock)) {
            assertThatThrownBy(() -> loop.runUntilComplete(() -> Async.await(new CompletableFuture<String>())))
                    .isInstanceOf(VirtualTimeDeadlockException.class)
                    .hasMessageStartingWith("Deadlock in virtual time on <EventLoop-")
                    .hasMessageEndingWith("\nThreads the loop cannot see may still be working (a socket reader, a"
                            + " CompletableFuture awaited without wrapFuture): the loop waited 0.010 s of real time"
                            + " for them. Declare such work with loop.wrapFuture(...) or loop.runInExecutor(...),"
                            + " which hold virtual time still until it settles, or give them longer with"
                            + " VirtualClock.setDeadlockGrace(...).");
        }
    }
}
