package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The loop's states and transitions, asyncio's stop rule, and the errors of a closed or busy loop. */
class EventLoopLifecycleTest {

    private final List<EventLoop> loops = new ArrayList<>();
    private final List<ExceptionContext> reports = new CopyOnWriteArrayList<>();
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeLoops() {
        EventLoops.setEventLoop(null);
        loops.forEach(EventLoop::close);
    }

    private EventLoop newLoop() {
        return track(EventLoops.newEventLoop());
    }

    private EventLoop track(EventLoop loop) {
        loop.setExceptionHandler((l, context) -> reports.add(context));
        loops.add(loop);
        return loop;
    }

    /** Runs exactly one iteration: asyncio's {@code loop.stop(); loop.run_forever()}. */
    private static void runOnce(EventLoop loop) {
        loop.stop();
        loop.runForever();
    }

    /** The line after the caller's: where the statement that follows the call is. */
    private static int nextLine() {
        return StackWalker.getInstance()
                        .walk(frames -> frames.skip(1).findFirst())
                        .orElseThrow()
                        .getLineNumber()
                + 1;
    }

    // ---- states --------------------------------------------------------------------------------------------

    @Test
    void aLoopRunsOnlyWhileRunForeverRuns() {
        EventLoop loop = newLoop();
        AtomicReference<Boolean> runningInside = new AtomicReference<>();
        loop.callSoon(() -> runningInside.set(loop.isRunning()));

        assertThat(loop.isRunning()).isFalse();
        assertThat(loop.isClosed()).isFalse();
        runOnce(loop);

        assertThat(runningInside.get()).isTrue();
        assertThat(loop.isRunning()).isFalse();
        assertThat(loop.isClosed()).isFalse();
    }

    @Test
    void aLoopCanBeRunAgainAfterItStopped() {
        EventLoop loop = newLoop();
        for (int i = 0; i < 3; i++) {
            int round = i;
            loop.callSoon(() -> ran.add("round " + round));
            loop.callSoon(loop::stop);
            loop.runForever();
        }

        assertThat(ran).containsExactly("round 0", "round 1", "round 2");
    }

    @Test
    void closeMarksTheLoopClosed() {
        EventLoop loop = newLoop();

        loop.close();

        assertThat(loop.isClosed()).isTrue();
        assertThat(loop.isRunning()).isFalse();
    }

    // ---- stop ----------------------------------------------------------------------------------------------

    @Test
    void stopWhileRunningFinishesTheBatchThatWasReadyWhenTheIterationBegan() {
        EventLoop loop = newLoop();
        loop.callSoon(() -> {
            ran.add("a");
            loop.callSoon(() -> ran.add("c"));
            loop.stop();
        });
        loop.callSoon(() -> ran.add("b"));

        loop.runForever();

        assertThat(ran).containsExactly("a", "b");
        assertThat(loop.isRunning()).isFalse();

        loop.callSoon(loop::stop);
        loop.runForever();

        assertThat(ran).containsExactly("a", "b", "c");
    }

    @Test
    void timersDueWhenTheIterationBeganBelongToTheBatchThatStopFinishes() {
        EventLoop loop = track(EventLoops.newEventLoop(new VirtualClock()));
        loop.callSoon(() -> {
            ran.add("stopper");
            loop.stop();
        });
        loop.callAt(0, () -> ran.add("timer due now"));
        loop.callLater(Duration.ofSeconds(1), () -> ran.add("timer due later"));

        loop.runForever();

        assertThat(ran).containsExactly("stopper", "timer due now");
        assertThat(loop.time()).isZero();
    }

    @Test
    void stopBeforeRunForeverRunsExactlyOneIteration() {
        EventLoop loop = newLoop();
        loop.callSoon(() -> {
            ran.add("first iteration");
            loop.callSoon(() -> ran.add("second iteration"));
        });

        loop.stop();
        loop.runForever();

        assertThat(ran).containsExactly("first iteration");
        assertThat(loop.isRunning()).isFalse();

        // the request was used up: the next run goes on until it is stopped again
        loop.callSoon(loop::stop);
        loop.runForever();

        assertThat(ran).containsExactly("first iteration", "second iteration");
    }

    @Test
    void stopBeforeRunForeverDoesNotWaitForTimersThatAreNotDue() {
        EventLoop loop = newLoop();
        loop.callLater(Duration.ofHours(1), () -> ran.add("an hour later"));

        loop.stop();
        loop.runForever();

        assertThat(ran).isEmpty();
        assertThat(loop.isRunning()).isFalse();
    }

    @Test
    void stopOnAClosedLoopDoesNothing() {
        EventLoop loop = newLoop();
        loop.close();

        loop.stop();

        assertThat(loop.isClosed()).isTrue();
        assertThat(loop.isRunning()).isFalse();
    }

    @Test
    void aCallbackThatStopsTheLoopLeavesItUsable() {
        EventLoop loop = newLoop();
        loop.callSoon(loop::stop);
        loop.callSoon(() -> ran.add("same batch"));

        loop.runForever();
        loop.callSoon(() -> ran.add("next run"));
        runOnce(loop);

        assertThat(ran).containsExactly("same batch", "next run");
        assertThat(reports).isEmpty();
    }

    // ---- close ---------------------------------------------------------------------------------------------

    @Test
    void closeIsIdempotentAndKeepsWhereItWasFirstClosed() {
        EventLoop loop = newLoop();
        int firstClose = nextLine();
        loop.close();
        loop.close();

        assertThat(loop.isClosed()).isTrue();
        assertThatThrownBy(() -> loop.callSoon(() -> {}))
                .isInstanceOf(EventLoopClosedException.class)
                .hasMessageContaining("EventLoopLifecycleTest.java:" + firstClose + ")");
    }

    @Test
    void closeDropsPendingCallbacksAndTimers() {
        EventLoop loop = newLoop();
        loop.callSoon(() -> ran.add("soon"));
        loop.callLater(Duration.ZERO, () -> ran.add("later"));
        loop.callSoonThreadsafe(() -> ran.add("from another thread"));

        loop.close();

        assertThat(ran).isEmpty();
        assertThatThrownBy(loop::runForever).isInstanceOf(EventLoopClosedException.class);
    }

    @Test
    void closeWhileRunningIsRefusedAndLeavesTheLoopRunning() {
        EventLoop loop = newLoop();
        AtomicReference<Throwable> refused = new AtomicReference<>();
        loop.callSoon(() -> {
            try {
                loop.close();
            } catch (RuntimeException e) {
                refused.set(e);
            }
            ran.add("still running: " + loop.isRunning());
        });

        runOnce(loop);

        assertThat(refused.get())
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot close a running event loop");
        assertThat(ran).containsExactly("still running: true");
        assertThat(loop.isClosed()).isFalse();
    }

    @Test
    void aCallbackThatTriesToCloseTheLoopLeavesItConsistent() {
        EventLoop loop = newLoop();
        loop.callSoon(loop::close);
        loop.callSoon(() -> ran.add("next callback"));

        runOnce(loop);

        assertThat(reports)
                .singleElement()
                .satisfies(context -> assertThat(context.exception())
                        .isExactlyInstanceOf(IllegalStateException.class)
                        .hasMessage("Cannot close a running event loop"));
        assertThat(ran).containsExactly("next callback");
        assertThat(loop.isRunning()).isFalse();
        assertThat(loop.isClosed()).isFalse();

        loop.close();
        assertThat(loop.isClosed()).isTrue();
    }

    // ---- running twice, running two loops -----------------------------------------------------------------

    @Test
    void runningALoopThatRunsIsRefused() {
        EventLoop loop = newLoop();
        LoopFuture<String> future = loop.createFuture();
        List<Throwable> refusals = new ArrayList<>();
        loop.callSoon(() -> {
            refusals.add(catchThrowable(loop::runForever));
            refusals.add(catchThrowable(() -> loop.runUntilComplete(future)));
            refusals.add(catchThrowable(() -> loop.runUntilComplete(() -> "never runs")));
        });

        runOnce(loop);

        assertThat(refusals)
                .hasSize(3)
                .allSatisfy(refusal -> assertThat(refusal)
                        .isExactlyInstanceOf(IllegalStateException.class)
                        .hasMessage("This event loop is already running"));
        assertThat(loop.allTasks()).isEmpty();
        assertThat(loop.isRunning()).isFalse();
    }

    @Test
    void runningALoopThatRunsFromAnotherThreadIsRefused() {
        EventLoop loop = newLoop();
        AtomicReference<Throwable> refused = new AtomicReference<>();
        loop.callSoon(() -> {
            Thread other = new Thread(() -> refused.set(catchThrowable(loop::runForever)), "other");
            other.start();
            try {
                other.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        runOnce(loop);

        assertThat(refused.get())
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("This event loop is already running");
        assertThat(loop.isRunning()).isFalse();
    }

    @Test
    void runningALoopWhereAnotherLoopRunsIsRefused() {
        EventLoop outer = newLoop();
        EventLoop inner = newLoop();
        List<Throwable> refusals = new ArrayList<>();
        outer.callSoon(() -> {
            refusals.add(catchThrowable(inner::runForever));
            refusals.add(catchThrowable(() -> inner.runUntilComplete(CompletableFuture.completedFuture("x"))));
            refusals.add(catchThrowable(() -> inner.runUntilComplete(() -> "never runs")));
        });

        runOnce(outer);

        assertThat(refusals)
                .hasSize(3)
                .allSatisfy(refusal -> assertThat(refusal)
                        .isExactlyInstanceOf(IllegalStateException.class)
                        .message()
                        .startsWith("Cannot run the event loop while another loop is running"));
        assertThat(inner.isRunning()).isFalse();

        // the refusal changed nothing: the inner loop runs once the outer one is done
        inner.callSoon(() -> ran.add("inner runs"));
        runOnce(inner);
        assertThat(ran).containsExactly("inner runs");
    }

    private static Throwable catchThrowable(Runnable action) {
        try {
            action.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    // ---- runUntilComplete ----------------------------------------------------------------------------------

    @Test
    void runUntilCompleteReturnsTheResultOfAFutureCompletedByACallback() {
        EventLoop loop = newLoop();
        LoopFuture<String> future = loop.createFuture();
        loop.callSoon(() -> future.setResult("done"));

        assertThat(loop.runUntilComplete(future)).isEqualTo("done");
        assertThat(loop.isRunning()).isFalse();
    }

    @Test
    void runUntilCompleteThrowsTheFuturesOwnException() {
        EventLoop loop = newLoop();
        LoopFuture<String> future = loop.createFuture();
        IllegalArgumentException failure = new IllegalArgumentException("bad input");
        loop.callSoon(() -> future.setException(failure));

        assertThatThrownBy(() -> loop.runUntilComplete(future)).isSameAs(failure);
    }

    /** Stops the loop in the first iteration of a runUntilComplete of the future, and checks the refusal. */
    private static void runUntilCompleteStoppedEarly(EventLoop loop, LoopFuture<String> future) {
        loop.callSoon(loop::stop);
        assertThatThrownBy(() -> loop.runUntilComplete(future))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("Event loop stopped before Future completed.");
    }

    @Test
    void runUntilCompleteOfAFutureThatTheLoopStopsBeforeIsRefused() {
        EventLoop loop = newLoop();
        LoopFuture<String> future = loop.createFuture();

        runUntilCompleteStoppedEarly(loop, future);
        assertThat(loop.isRunning()).isFalse();

        // the early stop left nothing behind: a later run waits for the future as usual
        loop.callSoon(() -> ran.add("before the result"));
        loop.callSoon(() -> loop.callSoon(() -> future.setResult("late")));
        assertThat(loop.runUntilComplete(future)).isEqualTo("late");
        assertThat(ran).containsExactly("before the result");
    }

    @Test
    void aRunUntilCompleteStoppedEarlyLeavesNoStopperOnItsFuture() {
        EventLoop loop = newLoop();
        LoopFuture<String> future = loop.createFuture();
        runUntilCompleteStoppedEarly(loop, future);

        // the future completes during a plain run, which only its own stop() ends: a done callback left by the
        // refused run would stop it two iterations early, before the last callback
        loop.callSoon(() -> future.setResult("done"));
        loop.callSoon(() -> loop.callSoon(() -> loop.callSoon(() -> {
            ran.add("after the result");
            loop.stop();
        })));
        loop.runForever();

        assertThat(ran).containsExactly("after the result");
    }

    @Test
    void inVirtualTimeRunUntilCompleteOfAFutureNothingCompletesIsADeadlock() {
        VirtualClock clock = new VirtualClock();
        clock.setDeadlockGrace(Duration.ofMillis(1));
        EventLoop loop = track(EventLoops.newEventLoop(clock));

        assertThatThrownBy(() -> loop.runUntilComplete(loop.createFuture()))
                .isExactlyInstanceOf(VirtualTimeDeadlockException.class)
                .hasMessageStartingWith("Deadlock in virtual time on ");
    }

    @Test
    void inVirtualTimeAnIdleRunForeverAfterARunUntilCompleteWaitsForOtherThreads() throws Exception {
        VirtualClock clock = new VirtualClock();
        clock.setDeadlockGrace(Duration.ofMillis(1));
        EventLoop loop = track(EventLoops.newEventLoop(clock));
        LoopFuture<String> future = loop.createFuture();
        loop.callSoon(() -> future.setResult("done"));
        assertThat(loop.runUntilComplete(future)).isEqualTo("done");

        // nothing awaits a result now: an idle loop waits for other threads, far past the deadlock grace
        Thread poster = new Thread(
                () -> {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                    loop.callSoonThreadsafe(() -> {
                        ran.add("posted");
                        loop.stop();
                    });
                },
                "poster");
        poster.start();
        loop.runForever();
        poster.join();

        assertThat(ran).containsExactly("posted");
        assertThat(clock.nanoTime()).isZero();
    }

    @Test
    void runUntilCompleteOfADoneFutureRunsOneMoreIteration() {
        EventLoop loop = newLoop();
        LoopFuture<String> future = loop.createFuture();
        future.setResult("already");
        loop.callSoon(() -> ran.add("ready before"));

        assertThat(loop.runUntilComplete(future)).isEqualTo("already");
        assertThat(ran).containsExactly("ready before");
    }

    // ---- a closed loop -------------------------------------------------------------------------------------

    static Stream<Named<Consumer<EventLoop>>> operationsOnAClosedLoop() {
        return Stream.of(
                Named.of("callSoon", loop -> loop.callSoon(() -> {})),
                Named.of("callSoonThreadsafe", loop -> loop.callSoonThreadsafe(() -> {})),
                Named.of("execute", loop -> loop.execute(() -> {})),
                Named.of("callLater", loop -> loop.callLater(Duration.ofSeconds(1), () -> {})),
                Named.of("callAt", loop -> loop.callAt(0, () -> {})),
                Named.of("createTask", loop -> loop.createTask(() -> "x")),
                Named.of("runForever", EventLoop::runForever),
                Named.of("runUntilComplete(coroutine)", loop -> loop.runUntilComplete(() -> "x")),
                Named.of("runUntilComplete(future)", loop -> loop.runUntilComplete(loop.<String>createFuture())),
                Named.of(
                        "runUntilComplete(CompletableFuture)",
                        loop -> loop.runUntilComplete(CompletableFuture.completedFuture("x"))),
                Named.of("runInExecutor", loop -> loop.runInExecutor(Runnable::run, () -> "x")),
                Named.of("wrapFuture", loop -> loop.wrapFuture(new CompletableFuture<String>())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operationsOnAClosedLoop")
    void everythingOnAClosedLoopIsRefusedWithWhereItWasClosed(Consumer<EventLoop> operation) {
        EventLoop loop = newLoop();
        int closeLine = nextLine();
        loop.close();

        assertThatThrownBy(() -> operation.accept(loop))
                .isExactlyInstanceOf(EventLoopClosedException.class)
                .satisfies(thrown -> {
                    EventLoopClosedException closed = (EventLoopClosedException) thrown;
                    String frame =
                            "dev.loopharness.EventLoopLifecycleTest.everythingOnAClosedLoopIsRefusedWithWhereItWasClosed"
                                    + "(EventLoopLifecycleTest.java:" + closeLine + ")";
                    assertThat(closed.getMessage())
                            .startsWith("Event loop is closed")
                            .contains(frame);
                    assertThat(closed.closedAt()).hasValueSatisfying(at -> {
                        assertThat(at.getClassName()).isEqualTo(EventLoopLifecycleTest.class.getName());
                        assertThat(at.getMethodName())
                                .isEqualTo("everythingOnAClosedLoopIsRefusedWithWhereItWasClosed");
                        assertThat(at.getFileName()).isEqualTo("EventLoopLifecycleTest.java");
                        assertThat(at.getLineNumber()).isEqualTo(closeLine);
                    });
                    assertThat(closed.closedBy())
                            .hasValue("thread \"" + Thread.currentThread().getName() + "\"");
                    assertThat(closed.getMessage()).contains(closed.closedBy().orElseThrow());
                });
        assertThat(loop.allTasks()).isEmpty();
    }

    @Test
    void aClosedLoopNamesTheThreadThatClosedIt() throws InterruptedException {
        EventLoop loop = newLoop();
        Thread closer = new Thread(loop::close, "the-closer");
        closer.start();
        closer.join();

        assertThatThrownBy(() -> loop.callSoon(() -> {}))
                .isInstanceOfSatisfying(EventLoopClosedException.class, closed -> {
                    assertThat(closed.closedBy()).hasValue("thread \"the-closer\"");
                    assertThat(closed)
                            .hasMessageStartingWith("Event loop is closed")
                            .hasMessageContaining("the-closer");
                });
    }

    // ---- EventLoops ----------------------------------------------------------------------------------------

    @Test
    void getEventLoopReturnsTheSameLoopEveryTimeOnAThread() {
        EventLoop first = track(EventLoops.getEventLoop());
        EventLoop second = EventLoops.getEventLoop();

        assertThat(second).isSameAs(first);
        assertThat(first.isClosed()).isFalse();
    }

    @Test
    void getEventLoopGivesEachThreadItsOwnLoop() throws InterruptedException {
        EventLoop mine = track(EventLoops.getEventLoop());
        AtomicReference<EventLoop> theirs = new AtomicReference<>();
        AtomicReference<EventLoop> theirsAgain = new AtomicReference<>();
        Thread other = new Thread(() -> {
            theirs.set(EventLoops.getEventLoop());
            theirsAgain.set(EventLoops.getEventLoop());
            EventLoops.getEventLoop().close();
        });
        other.start();
        other.join();

        assertThat(theirs.get()).isNotNull().isSameAs(theirsAgain.get()).isNotSameAs(mine);
        assertThat(EventLoops.getEventLoop()).isSameAs(mine);
    }

    @Test
    void getEventLoopReturnsAClosedLoopAsItIs() {
        EventLoop loop = track(EventLoops.getEventLoop());
        loop.close();

        assertThat(EventLoops.getEventLoop()).isSameAs(loop);
        assertThat(EventLoops.getEventLoop().isClosed()).isTrue();
    }

    @Test
    void getEventLoopCreatesANewLoopAfterSetEventLoopNull() {
        EventLoop old = track(EventLoops.getEventLoop());
        old.close();

        EventLoops.setEventLoop(null);
        EventLoop fresh = track(EventLoops.getEventLoop());

        assertThat(fresh).isNotSameAs(old);
        assertThat(fresh.isClosed()).isFalse();
        assertThat(EventLoops.getEventLoop()).isSameAs(fresh);
    }

    @Test
    void getEventLoopReturnsTheLoopSetWithSetEventLoop() {
        EventLoop loop = newLoop();

        EventLoops.setEventLoop(loop);

        assertThat(EventLoops.getEventLoop()).isSameAs(loop);
    }

    @Test
    void insideACallbackGetEventLoopReturnsTheRunningLoop() {
        EventLoop threadDefault = newLoop();
        EventLoops.setEventLoop(threadDefault);
        EventLoop running = newLoop();
        AtomicReference<EventLoop> seen = new AtomicReference<>();
        running.callSoon(() -> seen.set(EventLoops.getEventLoop()));

        runOnce(running);

        assertThat(seen.get()).isSameAs(running);
        assertThat(EventLoops.getEventLoop()).isSameAs(threadDefault);
    }

    @Test
    void getRunningLoopOutsideALoopIsRefused() {
        assertThatThrownBy(EventLoops::getRunningLoop)
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("no running event loop");
    }

    @Test
    void getRunningLoopInsideACallbackReturnsTheLoop() {
        EventLoop loop = newLoop();
        AtomicReference<EventLoop> seen = new AtomicReference<>();
        loop.callSoon(() -> seen.set(EventLoops.getRunningLoop()));

        runOnce(loop);

        assertThat(seen.get()).isSameAs(loop);
        assertThatThrownBy(EventLoops::getRunningLoop)
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("no running event loop");
    }

    @Test
    void newEventLoopGivesADifferentLoopEachTime() {
        EventLoop one = newLoop();
        EventLoop two = newLoop();

        assertThat(one).isNotSameAs(two);
        one.close();
        assertThat(two.isClosed()).isFalse();
    }
}
