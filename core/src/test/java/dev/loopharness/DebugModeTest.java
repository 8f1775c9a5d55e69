package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Debug mode: slow callbacks reported, calls from foreign threads refused, creation and close sites kept. */
class DebugModeTest {

    private static final Duration THRESHOLD = Duration.ofMillis(10);
    private static final long SLOW_MILLIS = 50;

    private final List<EventLoop> loops = new ArrayList<>();
    private final List<ExceptionContext> reports = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeLoops() {
        loops.forEach(EventLoop::close);
    }

    private EventLoop newLoop(boolean debug) {
        EventLoop loop = EventLoops.newEventLoop();
        loop.setExceptionHandler((l, context) -> reports.add(context));
        loop.setDebug(debug);
        loops.add(loop);
        return loop;
    }

    private static void runOnce(EventLoop loop) {
        loop.stop();
        loop.runForever();
    }

    private static void sleepInTheCallback() {
        try {
            Thread.sleep(SLOW_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- settings ------------------------------------------------------------------------------------------

    @Test
    void debugModeIsOffUnlessTurnedOn() {
        EventLoop loop = newLoop(false);

        assertThat(loop.isDebug()).isFalse();
        loop.setDebug(true);
        assertThat(loop.isDebug()).isTrue();
        assertThat(loop.getSlowCallbackDuration()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void theSlowCallbackDurationMustBePositive() {
        EventLoop loop = newLoop(true);

        assertThatThrownBy(() -> loop.setSlowCallbackDuration(Duration.ZERO))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("threshold must be positive: got PT0S");
        assertThatThrownBy(() -> loop.setSlowCallbackDuration(Duration.ofMillis(-1)))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("threshold must be positive: got PT-0.001S");
        assertThatThrownBy(() -> loop.setSlowCallbackDuration(null))
                .isExactlyInstanceOf(NullPointerException.class)
                .hasMessage("threshold must not be null");

        loop.setSlowCallbackDuration(THRESHOLD);
        assertThat(loop.getSlowCallbackDuration()).isEqualTo(THRESHOLD);
    }

    // ---- slow callbacks ------------------------------------------------------------------------------------

    @Test
    void aSlowCallbackIsReportedWithoutAnException() {
        EventLoop loop = newLoop(true);
        loop.setSlowCallbackDuration(THRESHOLD);
        Handle slow = loop.callSoon(DebugModeTest::sleepInTheCallback);

        runOnce(loop);

        assertThat(reports).singleElement().satisfies(context -> {
            assertThat(context.exception()).isNull();
            assertThat(context.message())
                    .startsWith("Executing")
                    .contains("took")
                    .contains(" seconds");
            assertThat(context.handle()).containsSame(slow);
        });
    }

    @Test
    void aSlowTimerIsReportedToo() {
        EventLoop loop = newLoop(true);
        loop.setSlowCallbackDuration(THRESHOLD);
        TimerHandle slow = loop.callLater(Duration.ZERO, DebugModeTest::sleepInTheCallback);

        runOnce(loop);

        assertThat(reports).singleElement().satisfies(context -> {
            assertThat(context.exception()).isNull();
            assertThat(context.message()).contains("took");
            assertThat(context.handle()).containsSame(slow);
        });
    }

    @Test
    void withoutDebugModeASlowCallbackIsNotReported() {
        EventLoop loop = newLoop(false);
        loop.setSlowCallbackDuration(THRESHOLD);
        loop.callSoon(DebugModeTest::sleepInTheCallback);

        runOnce(loop);

        assertThat(reports).isEmpty();
    }

    @Test
    void aSlowCallbackThatFailsIsReportedTwice() {
        EventLoop loop = newLoop(true);
        loop.setSlowCallbackDuration(THRESHOLD);
        IllegalStateException failure = new IllegalStateException("slow and failing");
        loop.callSoon(() -> {
            sleepInTheCallback();
            throw failure;
        });

        runOnce(loop);

        assertThat(reports).extracting(ExceptionContext::exception).containsExactly(failure, null);
        assertThat(reports.get(1).message()).contains("took");
    }

    // ---- calls from foreign threads ------------------------------------------------------------------------

    /** Each non-thread-safe call of the loop, and the operation its refusal names. */
    static Stream<Arguments> nonThreadSafeCalls() {
        return Stream.of(
                Arguments.of(Named.<Consumer<EventLoop>>of("callSoon", loop -> loop.callSoon(() -> {})), "callSoon"),
                Arguments.of(
                        Named.<Consumer<EventLoop>>of(
                                "callLater", loop -> loop.callLater(Duration.ofSeconds(1), () -> {})),
                        "callAt"),
                Arguments.of(Named.<Consumer<EventLoop>>of("callAt", loop -> loop.callAt(0, () -> {})), "callAt"),
                Arguments.of(
                        Named.<Consumer<EventLoop>>of("createTask", loop -> loop.createTask(() -> "x")), "createTask"),
                Arguments.of(
                        Named.<Consumer<EventLoop>>of("runInExecutor", loop -> loop.runInExecutor(null, () -> "x")),
                        "runInExecutor"),
                Arguments.of(Named.<Consumer<EventLoop>>of("stop", EventLoop::stop), "stop"));
    }

    /**
     * Each non-thread-safe call of a future, on a plain future and (but setException) on a suspended task; and a
     * task's cancel(message). The third argument is the operation the refusal must name: the call's own check,
     * not one of a loop method it would reach without that check.
     */
    static Stream<Arguments> nonThreadSafeFutureCalls() {
        Consumer<LoopFuture<String>> neverAdded = future -> {};
        List<Named<Consumer<LoopFuture<String>>>> calls = List.of(
                Named.of("setException", future -> future.setException(new IllegalStateException("x"))),
                Named.of("cancel", LoopFuture::cancel),
                Named.of("addDoneCallback", future -> future.addDoneCallback(done -> {})),
                Named.of("removeDoneCallback", future -> future.removeDoneCallback(neverAdded)));
        Named<Function<EventLoop, LoopFuture<String>>> future = Named.of("future", EventLoop::createFuture);
        Named<Function<EventLoop, LoopFuture<String>>> task =
                Named.of("suspended task", loop -> loop.createTask(() -> Async.await(loop.<String>createFuture())));
        Named<Consumer<LoopFuture<String>>> cancelWithMessage =
                Named.of("cancel(message)", suspended -> ((Task<String>) suspended).cancel("from elsewhere"));
        // a task refuses setException from any thread (its outcome is its coroutine's): not a thread check
        return Stream.concat(
                Stream.of(future, task)
                        .flatMap(target -> calls.stream()
                                .filter(call ->
                                        target == future || !call.getName().equals("setException"))
                                .map(call -> Arguments.of(
                                        target,
                                        call,
                                        (target == task && call.getName().equals("cancel") ? "Task." : "LoopFuture.")
                                                + call.getName()))),
                Stream.of(Arguments.of(task, cancelWithMessage, "Task.cancel")));
    }

    /** Runs the call on a fresh thread while the loop runs a callback that waits for that thread. */
    private static Throwable callFromAForeignThreadWhileTheLoopRuns(EventLoop loop, Consumer<EventLoop> call) {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        loop.callSoon(() -> {
            Thread foreign = new Thread(
                    () -> {
                        try {
                            call.accept(loop);
                        } catch (RuntimeException e) {
                            thrown.set(e);
                        }
                    },
                    "foreign");
            foreign.start();
            try {
                foreign.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        runOnce(loop);
        return thrown.get();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonThreadSafeCalls")
    void aNonThreadSafeCallFromAForeignThreadIsRefused(Consumer<EventLoop> call, String operation) {
        EventLoop loop = newLoop(true);

        Throwable thrown = callFromAForeignThreadWhileTheLoopRuns(loop, call);

        assertThat(thrown)
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Non-thread-safe operation " + operation + "() invoked from thread")
                .hasMessageContaining("invoked from thread \"foreign\"")
                .hasMessageContaining("callSoonThreadsafe()");
        assertThat(loop.allTasks()).isEmpty();
    }

    @Test
    void aFutureOfTheLoopRefusesToBeCompletedFromAForeignThread() {
        EventLoop loop = newLoop(true);
        LoopFuture<String> future = loop.createFuture();

        Throwable thrown = callFromAForeignThreadWhileTheLoopRuns(loop, l -> future.setResult("x"));

        assertThat(thrown)
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Non-thread-safe operation LoopFuture.setResult()");
        assertThat(future.isDone()).isFalse();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("nonThreadSafeFutureCalls")
    void aFutureOrTaskRefusesEveryNonThreadSafeCallFromAForeignThread(
            Function<EventLoop, LoopFuture<String>> target, Consumer<LoopFuture<String>> call, String operation) {
        EventLoop loop = newLoop(true);
        LoopFuture<String> future = target.apply(loop);

        Throwable thrown = callFromAForeignThreadWhileTheLoopRuns(loop, l -> call.accept(future));

        assertThat(thrown)
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Non-thread-safe operation " + operation + "() invoked from thread");
        assertThat(future.isDone()).isFalse();
    }

    @Test
    void aHandleRefusesToBeCancelledFromAForeignThread() {
        EventLoop loop = newLoop(true);
        TimerHandle timer = loop.callLater(Duration.ofHours(1), () -> {});

        Throwable thrown = callFromAForeignThreadWhileTheLoopRuns(loop, l -> timer.cancel());

        assertThat(thrown)
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Non-thread-safe operation Handle.cancel()");
        assertThat(timer.isCancelled()).isFalse();
    }

    @Test
    void callSoonThreadsafeFromAForeignThreadIsAllowed() {
        EventLoop loop = newLoop(true);
        List<String> ran = new CopyOnWriteArrayList<>();

        Throwable thrown = callFromAForeignThreadWhileTheLoopRuns(loop, l -> l.callSoonThreadsafe(() -> ran.add("x")));
        runOnce(loop);

        assertThat(thrown).isNull();
        assertThat(ran).containsExactly("x");
    }

    @Test
    void aForeignCallWhileTheLoopIsNotRunningIsAllowed() throws InterruptedException {
        EventLoop loop = newLoop(true);
        List<String> ran = new CopyOnWriteArrayList<>();
        Thread foreign = new Thread(() -> loop.callSoon(() -> ran.add("scheduled while not running")));
        foreign.start();
        foreign.join();

        runOnce(loop);

        assertThat(ran).containsExactly("scheduled while not running");
    }

    // ---- creation sites ------------------------------------------------------------------------------------

    @Test
    void inDebugModeATaskRecordsWhereItWasCreated() {
        EventLoop loop = newLoop(true);

        Task<String> task = loop.createTask(() -> "done");

        assertThat(task.createdAt()).hasValueSatisfying(site -> {
            assertThat(site.getClassName()).isEqualTo(DebugModeTest.class.getName());
            assertThat(site.getMethodName()).isEqualTo("inDebugModeATaskRecordsWhereItWasCreated");
            assertThat(site.getFileName()).isEqualTo("DebugModeTest.java");
        });
        assertThat(task.toString()).contains("created at").contains("DebugModeTest.java:");
        assertThat(loop.runUntilComplete(task)).isEqualTo("done");
    }

    @Test
    void withoutDebugModeATaskRecordsNoCreationSite() {
        EventLoop loop = newLoop(false);

        Task<String> task = loop.createTask(() -> "done");

        assertThat(task.createdAt()).isEmpty();
        assertThat(task.toString()).doesNotContain("created at");
        assertThat(loop.runUntilComplete(task)).isEqualTo("done");
    }

    @Test
    void inDebugModeHandlesSayWhereTheyWereCreated() {
        EventLoop loop = newLoop(true);

        Handle soon = loop.callSoon(() -> {});
        TimerHandle later = loop.callLater(Duration.ofSeconds(1), () -> {});

        assertThat(soon.toString())
                .contains("created at dev.loopharness.DebugModeTest.inDebugModeHandlesSayWhereTheyWereCreated(")
                .contains("DebugModeTest.java:");
        assertThat(later.toString()).contains("created at").contains("DebugModeTest.java:");
    }

    @Test
    void withoutDebugModeHandlesRecordNoCreationSite() {
        EventLoop loop = newLoop(false);

        Handle soon = loop.callSoon(() -> {});

        assertThat(soon.toString()).doesNotContain("created at");
    }

    // ---- the close stack -----------------------------------------------------------------------------------

    @Test
    void inDebugModeTheClosedExceptionCarriesTheStackOfTheClose() {
        EventLoop loop = newLoop(true);
        loop.close();

        assertThatThrownBy(() -> loop.callSoon(() -> {}))
                .isExactlyInstanceOf(EventLoopClosedException.class)
                .hasMessageStartingWith("Event loop is closed")
                .satisfies(closed -> {
                    Throwable stack = closed.getCause();
                    assertThat(stack).isNotNull().hasMessageContaining("was closed here");
                    assertThat(Arrays.asList(stack.getStackTrace()))
                            .anySatisfy(frame -> assertThat(frame.getMethodName())
                                    .isEqualTo("inDebugModeTheClosedExceptionCarriesTheStackOfTheClose"));
                });
    }

    @Test
    void withoutDebugModeTheClosedExceptionHasNoCause() {
        EventLoop loop = newLoop(false);
        loop.close();

        assertThatThrownBy(() -> loop.callSoon(() -> {}))
                .isExactlyInstanceOf(EventLoopClosedException.class)
                .hasMessageStartingWith("Event loop is closed")
                .hasNoCause();
    }
}
