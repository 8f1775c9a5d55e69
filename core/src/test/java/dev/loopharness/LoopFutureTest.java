package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** asyncio's Future semantics, and the CompletionStage methods built on them. */
class LoopFutureTest {

    private static final long PATIENCE_SECONDS = 30;

    private final List<ExceptionContext> reports = new CopyOnWriteArrayList<>();
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final List<EventLoop> loops = new ArrayList<>();
    private EventLoop loop;
    private ExecutorService executor;

    @BeforeEach
    void createLoop() {
        loop = newLoop();
        executor = Executors.newSingleThreadExecutor(work -> new Thread(work, "test-executor"));
    }

    @AfterEach
    void closeLoops() throws InterruptedException {
        loops.forEach(EventLoop::close);
        executor.shutdownNow();
        assertThat(executor.awaitTermination(PATIENCE_SECONDS, TimeUnit.SECONDS))
                .isTrue();
        assertThat(reports).as("reports to the exception handler").isEmpty();
    }

    private EventLoop newLoop() {
        EventLoop created = EventLoops.newEventLoop();
        created.setExceptionHandler((l, context) -> reports.add(context));
        loops.add(created);
        return created;
    }

    private void runOnce() {
        loop.stop();
        loop.runForever();
    }

    /**
     * Where the caller runs: {@code "loop"} while this test's loop runs it, else the thread's name. (On JDKs with
     * virtual threads each run of the loop has a driver thread of its own, so the loop is not one thread.)
     */
    private String where() {
        try {
            if (EventLoops.getRunningLoop() == loop) {
                return "loop";
            }
        } catch (IllegalStateException noLoop) {
            // not on a loop
        }
        return Thread.currentThread().getName();
    }

    private <T> T run(CompletionStage<T> stage) {
        return loop.runUntilComplete(stage);
    }

    // ---- result and exception ------------------------------------------------------------------------------

    @Test
    void aPendingFutureHasNoResult() {
        LoopFuture<String> future = loop.createFuture();

        assertThat(future.isDone()).isFalse();
        assertThat(future.isCancelled()).isFalse();
        assertThat(future.loop()).isSameAs(loop);
        assertThatThrownBy(future::result)
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("Result is not set.");
        assertThatThrownBy(future::exception)
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("Exception is not set.");
    }

    @Test
    void aCompletedFutureHasItsResultAndNoException() {
        LoopFuture<String> future = loop.createFuture();
        LoopFuture<String> empty = loop.createFuture();

        future.setResult("value");
        empty.setResult(null);

        assertThat(future.isDone()).isTrue();
        assertThat(future.isCancelled()).isFalse();
        assertThat(future.result()).isEqualTo("value");
        assertThat(future.exception()).isNull();
        assertThat(empty.result()).isNull();
    }

    @Test
    void aFailedFutureThrowsTheSameInstance() {
        LoopFuture<String> future = loop.createFuture();
        IllegalArgumentException failure = new IllegalArgumentException("bad");

        future.setException(failure);

        assertThat(future.isDone()).isTrue();
        assertThatThrownBy(future::result).isSameAs(failure);
        assertThatThrownBy(future::result).isSameAs(failure);
        assertThat(future.exception()).isSameAs(failure);
    }

    @Test
    void aCheckedFailureIsThrownAsItIs() {
        LoopFuture<String> future = loop.createFuture();
        IOException failure = new IOException("disk");

        future.setException(failure);

        assertThatThrownBy(future::result).isSameAs(failure);
    }

    @Test
    void aFutureIsCompletedOnlyOnce() {
        LoopFuture<String> future = loop.createFuture();
        future.setResult("first");

        assertThatThrownBy(() -> future.setResult("second"))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is done already");
        assertThatThrownBy(() -> future.setException(new RuntimeException("late")))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is done already");
        assertThat(future.result()).isEqualTo("first");
    }

    @Test
    void setExceptionRefusesNull() {
        LoopFuture<String> future = loop.createFuture();

        assertThatThrownBy(() -> future.setException(null))
                .isExactlyInstanceOf(NullPointerException.class)
                .hasMessage("exception must not be null");
        assertThat(future.isDone()).isFalse();
    }

    // ---- cancel --------------------------------------------------------------------------------------------

    @Test
    void cancelCancelsAPendingFuture() {
        LoopFuture<String> future = loop.createFuture();

        assertThat(future.cancel()).isTrue();

        assertThat(future.isCancelled()).isTrue();
        assertThat(future.isDone()).isTrue();
        assertThatThrownBy(future::result).isInstanceOf(CancellationException.class);
        assertThatThrownBy(future::exception).isInstanceOf(CancellationException.class);
        assertThat(future.cancel()).isFalse();
        assertThatThrownBy(() -> future.setResult("late"))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is done already");
    }

    @Test
    void cancelDoesNothingToADoneFuture() {
        LoopFuture<String> future = loop.createFuture();
        future.setResult("kept");

        assertThat(future.cancel()).isFalse();

        assertThat(future.isCancelled()).isFalse();
        assertThat(future.result()).isEqualTo("kept");
    }

    @Test
    void cancelSchedulesTheDoneCallbacks() {
        LoopFuture<String> future = loop.createFuture();
        future.addDoneCallback(done -> ran.add("cancelled: " + done.isCancelled()));

        future.cancel();
        assertThat(ran).isEmpty();
        runOnce();

        assertThat(ran).containsExactly("cancelled: true");
    }

    // ---- done callbacks ------------------------------------------------------------------------------------

    @Test
    void doneCallbacksRunOnALaterIterationNotInline() {
        LoopFuture<String> future = loop.createFuture();
        List<LoopFuture<String>> seen = new ArrayList<>();
        future.addDoneCallback(done -> ran.add("first " + done.result()));
        future.addDoneCallback(seen::add);
        future.addDoneCallback(done -> ran.add("third " + done.result()));

        future.setResult("x");
        assertThat(ran).isEmpty();
        runOnce();

        assertThat(ran).containsExactly("first x", "third x");
        assertThat(seen).containsExactly(future);
    }

    @Test
    void aDoneCallbackAddedToADoneFutureIsScheduledNotRunInline() {
        LoopFuture<String> future = loop.createFuture();
        future.setResult("x");
        loop.callSoon(() -> ran.add("scheduled before"));

        future.addDoneCallback(done -> ran.add("done callback"));
        assertThat(ran).isEmpty();
        runOnce();

        assertThat(ran).containsExactly("scheduled before", "done callback");
    }

    @Test
    void aDoneCallbackRunsOnTheLoopThread() {
        LoopFuture<String> future = loop.createFuture();
        AtomicReference<String> ranOn = new AtomicReference<>();
        future.addDoneCallback(done -> ranOn.set(where()));
        loop.callSoon(() -> future.setResult("x"));

        run(future);
        runOnce();

        assertThat(ranOn.get()).isEqualTo("loop");
    }

    @Test
    void removeDoneCallbackRemovesEveryRegistration() {
        LoopFuture<String> future = loop.createFuture();
        Consumer<LoopFuture<String>> twice = done -> ran.add("removed");
        Consumer<LoopFuture<String>> other = done -> ran.add("kept");
        future.addDoneCallback(twice);
        future.addDoneCallback(other);
        future.addDoneCallback(twice);

        assertThat(future.removeDoneCallback(twice)).isEqualTo(2);
        assertThat(future.removeDoneCallback(twice)).isZero();
        future.setResult("x");
        runOnce();

        assertThat(ran).containsExactly("kept");
    }

    @Test
    void removeDoneCallbackOfTheOnlyCallback() {
        LoopFuture<String> future = loop.createFuture();
        Consumer<LoopFuture<String>> only = done -> ran.add("removed");
        future.addDoneCallback(only);

        assertThat(future.removeDoneCallback(done -> {})).isZero();
        assertThat(future.removeDoneCallback(only)).isEqualTo(1);
        future.setResult("x");
        runOnce();

        assertThat(ran).isEmpty();
    }

    @Test
    void addDoneCallbackRefusesNull() {
        LoopFuture<String> future = loop.createFuture();

        assertThatThrownBy(() -> future.addDoneCallback(null))
                .isExactlyInstanceOf(NullPointerException.class)
                .hasMessage("callback must not be null");
    }

    // ---- CompletionStage: one source -----------------------------------------------------------------------

    @Test
    void thenApplyRunsOnALaterIterationEvenWhenTheSourceIsDone() {
        LoopFuture<Integer> source = loop.createFuture();
        source.setResult(20);

        CompletionStage<Integer> next = source.thenApply(v -> {
            ran.add("applied");
            return v + 1;
        });

        assertThat(ran).isEmpty();
        assertThat(run(next)).isEqualTo(21);
        assertThat(ran).containsExactly("applied");
    }

    @Test
    void dependentStagesAreFuturesOfTheSameLoop() {
        LoopFuture<Integer> source = loop.createFuture();

        CompletionStage<Integer> next = source.thenApply(v -> v);

        // as an Object: AssertJ would assert on a toCompletableFuture() copy of a CompletionStage
        Object stage = next;
        assertThat(stage).isInstanceOf(LoopFuture.class);
        assertThat(((LoopFuture<Integer>) next).loop()).isSameAs(loop);
    }

    @Test
    void thenAcceptAndThenRunSeeTheResult() {
        LoopFuture<String> source = loop.createFuture();
        loop.callSoon(() -> source.setResult("v"));

        CompletionStage<Void> accepted = source.thenAccept(v -> ran.add("accepted " + v));
        CompletionStage<Void> afterwards = accepted.thenRun(() -> ran.add("ran"));

        assertThat(run(afterwards)).isNull();
        assertThat(ran).containsExactly("accepted v", "ran");
    }

    @Test
    void thenComposeFollowsTheStageTheFunctionReturns() {
        LoopFuture<Integer> source = loop.createFuture();
        LoopFuture<String> inner = loop.createFuture();
        loop.callSoon(() -> source.setResult(7));

        CompletionStage<String> composed = source.thenCompose(v -> {
            loop.callSoon(() -> inner.setResult("inner got " + v));
            return inner;
        });

        assertThat(run(composed)).isEqualTo("inner got 7");
    }

    @Test
    void thenComposeFollowsACompletableFutureCompletedOnAnotherThread() {
        LoopFuture<Integer> source = loop.createFuture();
        source.setResult(2);

        CompletionStage<Integer> composed =
                source.thenCompose(v -> CompletableFuture.supplyAsync(() -> v * 21, executor));

        assertThat(run(composed)).isEqualTo(42);
    }

    @Test
    void thenComposeWhoseFunctionReturnsNullFails() {
        LoopFuture<Integer> source = loop.createFuture();
        source.setResult(1);

        CompletionStage<String> composed = source.thenCompose(v -> null);

        assertThatThrownBy(() -> run(composed))
                .isExactlyInstanceOf(NullPointerException.class)
                .hasMessageContaining("returned null");
    }

    @Test
    void handleSeesTheResultOrTheSameFailure() {
        LoopFuture<Integer> succeeded = loop.createFuture();
        LoopFuture<Integer> failed = loop.createFuture();
        IllegalStateException failure = new IllegalStateException("handled");
        AtomicReference<Throwable> seen = new AtomicReference<>();
        succeeded.setResult(1);
        failed.setException(failure);

        CompletionStage<String> fromSuccess = succeeded.handle((v, t) -> "value " + v + ", failure " + t);
        CompletionStage<String> fromFailure = failed.handle((v, t) -> {
            seen.set(t);
            return "recovered";
        });

        assertThat(run(fromSuccess)).isEqualTo("value 1, failure null");
        assertThat(run(fromFailure)).isEqualTo("recovered");
        assertThat(seen.get()).isSameAs(failure);
    }

    @Test
    void whenCompleteSeesTheOutcomeAndPassesItOn() {
        LoopFuture<Integer> succeeded = loop.createFuture();
        LoopFuture<Integer> failed = loop.createFuture();
        IllegalStateException failure = new IllegalStateException("observed");
        List<Object> seen = new CopyOnWriteArrayList<>();
        succeeded.setResult(5);
        failed.setException(failure);

        CompletionStage<Integer> fromSuccess = succeeded.whenComplete((v, t) -> seen.add(v));
        CompletionStage<Integer> fromFailure = failed.whenComplete((v, t) -> seen.add(t));

        assertThat(run(fromSuccess)).isEqualTo(5);
        assertThatThrownBy(() -> run(fromFailure)).isSameAs(failure);
        assertThat(seen).containsExactly(5, failure);
    }

    @Test
    void whenCompleteWhoseActionThrowsFailsASuccessAndAddsToAFailure() {
        LoopFuture<Integer> succeeded = loop.createFuture();
        LoopFuture<Integer> failed = loop.createFuture();
        IllegalStateException failure = new IllegalStateException("original");
        IllegalArgumentException actionFailure = new IllegalArgumentException("action");
        succeeded.setResult(5);
        failed.setException(failure);

        CompletionStage<Integer> fromSuccess = succeeded.whenComplete((v, t) -> {
            throw actionFailure;
        });
        CompletionStage<Integer> fromFailure = failed.whenComplete((v, t) -> {
            throw actionFailure;
        });

        assertThatThrownBy(() -> run(fromSuccess)).isSameAs(actionFailure);
        assertThatThrownBy(() -> run(fromFailure)).isSameAs(failure);
        assertThat(failure.getSuppressed()).containsExactly(actionFailure);
    }

    @Test
    void exceptionallyRecoversFromTheSameFailure() {
        LoopFuture<Integer> failed = loop.createFuture();
        LoopFuture<Integer> succeeded = loop.createFuture();
        IllegalStateException failure = new IllegalStateException("recover me");
        AtomicReference<Throwable> seen = new AtomicReference<>();
        failed.setException(failure);
        succeeded.setResult(3);

        CompletionStage<Integer> recovered = failed.exceptionally(t -> {
            seen.set(t);
            return -1;
        });
        CompletionStage<Integer> untouched = succeeded.exceptionally(t -> -1);

        assertThat(run(recovered)).isEqualTo(-1);
        assertThat(seen.get()).isSameAs(failure);
        assertThat(run(untouched)).isEqualTo(3);
    }

    @Test
    void exceptionallyComposeFollowsTheRecoveryStage() {
        LoopFuture<Integer> failed = loop.createFuture();
        LoopFuture<Integer> succeeded = loop.createFuture();
        IllegalStateException failure = new IllegalStateException("compose me");
        failed.setException(failure);
        succeeded.setResult(3);

        CompletionStage<Integer> recovered = failed.exceptionallyCompose(
                t -> t == failure ? CompletableFuture.supplyAsync(() -> 99, executor) : null);
        CompletionStage<Integer> untouched = succeeded.exceptionallyCompose(t -> CompletableFuture.completedFuture(-1));

        assertThat(run(recovered)).isEqualTo(99);
        assertThat(run(untouched)).isEqualTo(3);
    }

    @Test
    void aFunctionThatThrowsFailsItsStageWithWhatItThrew() {
        LoopFuture<Integer> source = loop.createFuture();
        source.setResult(1);
        UnsupportedOperationException thrown = new UnsupportedOperationException("in the function");

        CompletionStage<Integer> next = source.thenApply(v -> {
            throw thrown;
        });

        assertThatThrownBy(() -> run(next)).isSameAs(thrown);
    }

    @Test
    void aFailurePropagatesThroughAChainAsTheSameInstance() {
        LoopFuture<Integer> source = loop.createFuture();
        LoopFuture<Integer> other = loop.createFuture();
        IOException failure = new IOException("checked, not wrapped");
        other.setResult(1);
        loop.callSoon(() -> source.setException(failure));

        CompletionStage<Integer> chain = source.thenApply(v -> v + 1)
                .thenCompose(v -> CompletableFuture.completedFuture(v))
                .thenCombine(other, Integer::sum)
                .applyToEither(loop.<Integer>createFuture(), v -> v)
                .whenComplete((v, t) -> ran.add("saw " + t));

        assertThatThrownBy(() -> run(chain)).isSameAs(failure);
        assertThat(ran).containsExactly("saw " + failure);
        assertThat(((LoopFuture<Integer>) chain).exception()).isSameAs(failure);
    }

    // ---- CompletionStage: two sources ----------------------------------------------------------------------

    @Test
    void thenCombineWaitsForBoth() {
        LoopFuture<Integer> first = loop.createFuture();
        LoopFuture<Integer> second = loop.createFuture();
        loop.callSoon(() -> loop.callSoon(() -> first.setResult(40)));
        loop.callSoon(() -> second.setResult(2));

        CompletionStage<Integer> sum = first.thenCombine(second, Integer::sum);

        assertThat(run(sum)).isEqualTo(42);
    }

    @Test
    void thenCombineFailsWithTheOtherStagesFailure() {
        LoopFuture<Integer> first = loop.createFuture();
        CompletableFuture<Integer> second = new CompletableFuture<>();
        IllegalStateException failure = new IllegalStateException("second failed");
        first.setResult(1);
        second.completeExceptionally(failure);

        CompletionStage<Integer> sum = first.thenCombine(second, Integer::sum);

        assertThatThrownBy(() -> run(sum)).isSameAs(failure);
    }

    @Test
    void thenAcceptBothAndRunAfterBothSeeBothResults() {
        LoopFuture<String> first = loop.createFuture();
        LoopFuture<String> second = loop.createFuture();
        first.setResult("a");
        second.setResult("b");

        CompletionStage<Void> both = first.thenAcceptBoth(second, (x, y) -> ran.add(x + y));
        CompletionStage<Void> after = both.runAfterBoth(first, () -> ran.add("after both"));

        run(after);
        assertThat(ran).containsExactly("ab", "after both");
    }

    @Test
    void applyToEitherTakesTheFirstToComplete() {
        LoopFuture<String> slow = loop.createFuture();
        LoopFuture<String> fast = loop.createFuture();
        loop.callSoon(() -> fast.setResult("fast"));

        CompletionStage<String> either = slow.applyToEither(fast, v -> "first: " + v);
        CompletionStage<Void> accepted = slow.acceptEither(fast, v -> ran.add("accepted " + v));
        CompletionStage<Void> after = slow.runAfterEither(fast, () -> ran.add("after either"));

        assertThat(run(either)).isEqualTo("first: fast");
        run(accepted);
        run(after);
        assertThat(ran).containsExactlyInAnyOrder("accepted fast", "after either");
        assertThat(slow.isDone()).isFalse();
    }

    // ---- the *Async variants -------------------------------------------------------------------------------

    @Test
    void asyncVariantsWithoutAnExecutorRunTheirFunctionOnTheLoop() {
        LoopFuture<Integer> source = loop.createFuture();
        List<String> threads = new CopyOnWriteArrayList<>();
        source.setResult(1);

        CompletionStage<Integer> chain = source.thenApplyAsync(v -> {
                    threads.add(where());
                    return v + 1;
                })
                .thenComposeAsync(v -> {
                    threads.add(where());
                    return CompletableFuture.completedFuture(v * 10);
                })
                .handleAsync((v, t) -> {
                    threads.add(where());
                    return v + 1;
                });

        assertThat(run(chain)).isEqualTo(21);
        assertThat(threads).containsExactly("loop", "loop", "loop");
    }

    static Stream<Named<Function<Setup, CompletionStage<Integer>>>> asyncVariantsWithAnExecutor() {
        return Stream.of(
                Named.of("thenApplyAsync", s -> s.ok.thenApplyAsync(v -> s.onExecutor(v + 1), s.executor)),
                Named.of(
                        "thenAcceptAsync",
                        s -> s.ok.thenAcceptAsync(v -> s.onExecutor(v), s.executor)
                                .thenApply(v -> 2)),
                Named.of(
                        "thenRunAsync",
                        s -> s.ok.thenRunAsync(() -> s.onExecutor(0), s.executor)
                                .thenApply(v -> 2)),
                Named.of(
                        "thenComposeAsync",
                        s -> s.ok.thenComposeAsync(
                                v -> CompletableFuture.completedFuture(s.onExecutor(v + 1)), s.executor)),
                Named.of("handleAsync", s -> s.failed.handleAsync((v, t) -> s.onExecutor(2), s.executor)),
                Named.of(
                        "whenCompleteAsync",
                        s -> s.ok.whenCompleteAsync((v, t) -> s.onExecutor(v), s.executor)
                                .thenApply(v -> v + 1)),
                Named.of("exceptionallyAsync", s -> s.failed.exceptionallyAsync(t -> s.onExecutor(2), s.executor)),
                Named.of(
                        "exceptionallyComposeAsync",
                        s -> s.failed.exceptionallyComposeAsync(
                                t -> CompletableFuture.completedFuture(s.onExecutor(2)), s.executor)),
                Named.of(
                        "thenCombineAsync",
                        s -> s.ok.thenCombineAsync(s.ok, (a, b) -> s.onExecutor(a + b), s.executor)),
                Named.of(
                        "applyToEitherAsync",
                        s -> s.ok.applyToEitherAsync(s.failed, v -> s.onExecutor(v + 1), s.executor)));
    }

    /** What the executor variants work on: a succeeded and a failed future, and where the function ran. */
    static final class Setup {
        final LoopFuture<Integer> ok;
        final LoopFuture<Integer> failed;
        final ExecutorService executor;
        final List<String> functionThreads = new CopyOnWriteArrayList<>();

        Setup(EventLoop loop, ExecutorService executor) {
            this.ok = loop.createFuture();
            this.failed = loop.createFuture();
            this.executor = executor;
            ok.setResult(1);
            failed.setException(new IllegalStateException("source failure"));
        }

        <T> T onExecutor(T value) {
            functionThreads.add(Thread.currentThread().getName());
            return value;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("asyncVariantsWithAnExecutor")
    void asyncVariantsWithAnExecutorRunThereAndCompleteOnTheLoop(Function<Setup, CompletionStage<Integer>> variant) {
        Setup setup = new Setup(loop, executor);
        CompletionStage<Integer> stage = variant.apply(setup);
        AtomicReference<String> completedOn = new AtomicReference<>();
        ((LoopFuture<Integer>) stage).addDoneCallback(done -> completedOn.set(where()));

        assertThat(run(stage)).isEqualTo(2);

        assertThat(setup.functionThreads).isNotEmpty().containsOnly("test-executor");
        assertThat(completedOn.get()).isEqualTo("loop");
        assertThat(((LoopFuture<Integer>) stage).loop()).isSameAs(loop);
        assertThat(setup.failed.exception()).hasMessage("source failure");
    }

    @Test
    void anAsyncVariantRefusesANullExecutor() {
        LoopFuture<Integer> source = loop.createFuture();

        assertThatThrownBy(() -> source.thenApplyAsync(v -> v, null))
                .isExactlyInstanceOf(NullPointerException.class)
                .hasMessage("executor must not be null");
        assertThatThrownBy(() -> source.thenApply(null))
                .isExactlyInstanceOf(NullPointerException.class)
                .hasMessage("fn must not be null");
    }

    // ---- cancellation of sources ---------------------------------------------------------------------------

    @Test
    void aCancelledSourceCancelsItsDependents() {
        LoopFuture<Integer> source = loop.createFuture();
        LoopFuture<Integer> other = loop.createFuture();
        other.setResult(1);
        List<CompletionStage<?>> dependents = List.of(
                source.thenApply(v -> v),
                source.thenAccept(v -> {}),
                source.thenCompose(v -> other),
                source.thenCombine(other, Integer::sum),
                other.thenCombine(source, Integer::sum),
                source.thenApplyAsync(v -> v, executor),
                source.whenComplete(
                        (v, t) -> ran.add("whenComplete saw " + t.getClass().getSimpleName())));
        CompletionStage<String> handled =
                source.handle((v, t) -> "handled " + t.getClass().getSimpleName());

        loop.callSoon(source::cancel);

        assertThat(run(handled)).isEqualTo("handled CancellationException");
        for (CompletionStage<?> dependent : dependents) {
            assertThatThrownBy(() -> run(dependent)).isInstanceOf(CancellationException.class);
            assertThat(((LoopFuture<?>) dependent).isCancelled())
                    .as("%s is cancelled", dependent)
                    .isTrue();
        }
        assertThat(ran).containsExactly("whenComplete saw CancellationException");
    }

    // ---- toCompletableFuture -------------------------------------------------------------------------------

    @Test
    void toCompletableFutureOfADoneFutureIsDone() throws Exception {
        LoopFuture<String> succeeded = loop.createFuture();
        LoopFuture<String> failed = loop.createFuture();
        LoopFuture<String> cancelled = loop.createFuture();
        IllegalStateException failure = new IllegalStateException("copied");
        succeeded.setResult("v");
        failed.setException(failure);
        cancelled.cancel();

        assertThat(succeeded.toCompletableFuture().get()).isEqualTo("v");
        assertThatThrownBy(() -> failed.toCompletableFuture().get())
                .isExactlyInstanceOf(ExecutionException.class)
                .cause()
                .isSameAs(failure);
        assertThat(cancelled.toCompletableFuture().isCancelled()).isTrue();
    }

    @Test
    void toCompletableFutureOfAPendingFutureCompletesWhenItDoes() throws Exception {
        LoopFuture<String> future = loop.createFuture();
        CompletableFuture<String> copy = future.toCompletableFuture();
        assertThat(copy.isDone()).isFalse();

        loop.callSoon(() -> future.setResult("later"));
        run(future);
        runOnce();

        assertThat(copy.get(PATIENCE_SECONDS, TimeUnit.SECONDS)).isEqualTo("later");
    }

    @Test
    void toCompletableFutureHandsTheResultToAnotherThread() throws Exception {
        LoopFuture<String> future = loop.createFuture();
        CompletableFuture<String> copy = future.toCompletableFuture();
        CompletableFuture<String> elsewhere =
                copy.thenApplyAsync(v -> v + " on " + Thread.currentThread().getName(), executor);
        loop.callSoon(() -> future.setResult("result"));

        run(future);
        runOnce();

        assertThat(elsewhere.get(PATIENCE_SECONDS, TimeUnit.SECONDS)).isEqualTo("result on test-executor");
    }

    @Test
    void cancellingTheCompletableFutureCancelsTheLoopFuture() {
        LoopFuture<String> future = loop.createFuture();
        CompletableFuture<String> copy = future.toCompletableFuture();

        assertThat(copy.cancel(false)).isTrue();
        runOnce();

        assertThat(future.isCancelled()).isTrue();
    }

    // ---- wrapFuture ----------------------------------------------------------------------------------------

    @Test
    void wrapFutureOfACompletableFutureCompletedOnAnotherThreadCompletesOnTheLoop() throws InterruptedException {
        CompletableFuture<String> foreign = new CompletableFuture<>();
        LoopFuture<String> wrapped = loop.wrapFuture(foreign);
        AtomicReference<String> completedOn = new AtomicReference<>();
        wrapped.addDoneCallback(done -> completedOn.set(where()));
        CountDownLatch loopIsRunning = new CountDownLatch(1);
        loop.callSoon(loopIsRunning::countDown);
        Thread completer = new Thread(
                () -> {
                    try {
                        if (loopIsRunning.await(PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                            foreign.complete("from another thread");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "completer");
        completer.start();

        assertThat(run(wrapped)).isEqualTo("from another thread");
        completer.join();
        runOnce();

        assertThat(completedOn.get()).isEqualTo("loop");
    }

    @Test
    void runUntilCompleteOfACompletableFutureCompletedOnAnExecutor() {
        CompletableFuture<String> foreign = CompletableFuture.supplyAsync(
                () -> "computed on " + Thread.currentThread().getName(), executor);

        assertThat(loop.runUntilComplete(foreign)).isEqualTo("computed on test-executor");
    }

    @Test
    void wrapFutureKeepsTheForeignFailureUnwrapped() {
        IllegalStateException failure = new IllegalStateException("foreign");
        CompletableFuture<String> failed = CompletableFuture.failedFuture(failure);
        CompletableFuture<String> dependent = failed.thenApply(v -> v);

        assertThatThrownBy(() -> run(loop.wrapFuture(failed))).isSameAs(failure);
        assertThatThrownBy(() -> run(loop.wrapFuture(dependent))).isSameAs(failure);
    }

    @Test
    void wrapFutureOfAFutureOfThisLoopReturnsIt() {
        LoopFuture<String> own = loop.createFuture();

        Object wrapped = loop.wrapFuture(own);

        assertThat(wrapped).isSameAs(own);
    }

    @Test
    void wrapFutureOfAnotherLoopsFutureIsRefusedNamingBothLoops() {
        EventLoop other = newLoop();
        LoopFuture<String> foreign = other.createFuture();

        assertThatThrownBy(() -> loop.wrapFuture(foreign))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(other.toString())
                .hasMessageContaining(loop.toString());
        assertThatThrownBy(() -> loop.runUntilComplete(foreign))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(other.toString())
                .hasMessageContaining(loop.toString());
        assertThat(loop.toString()).isNotEqualTo(other.toString());
    }

    @Test
    void cancellingTheWrapperCancelsTheForeignStage() {
        CompletableFuture<String> foreign = new CompletableFuture<>();
        LoopFuture<String> wrapped = loop.wrapFuture(foreign);

        wrapped.cancel();
        runOnce();

        assertThat(foreign.isCancelled()).isTrue();
    }

    @Test
    void wrapFutureRefusesNull() {
        assertThatThrownBy(() -> loop.wrapFuture(null))
                .isExactlyInstanceOf(NullPointerException.class)
                .hasMessage("stage must not be null");
    }

    @Test
    void joinOfTheCopyWrapsTheFailureAsCompletableFutureDoes() {
        LoopFuture<String> failed = loop.createFuture();
        IllegalStateException failure = new IllegalStateException("joined");
        failed.setException(failure);

        assertThatThrownBy(() -> failed.toCompletableFuture().join())
                .isExactlyInstanceOf(CompletionException.class)
                .cause()
                .isSameAs(failure);
    }
}
