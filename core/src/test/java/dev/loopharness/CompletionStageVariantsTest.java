package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code CompletionStage} method of a loop future, in its three forms: plain, {@code *Async} (which runs
 * on the loop, like the plain form) and {@code *Async} with an executor (the function runs there). Each one must
 * return a stage that completes with what its function made, and run the function where its form says.
 */
class CompletionStageVariantsTest {

    private static final long PATIENCE_SECONDS = 30;
    private static final String EXECUTOR_THREAD = "stage-executor";

    private final ExecutorService executor =
            Executors.newSingleThreadExecutor(work -> new Thread(work, EXECUTOR_THREAD));
    private final EventLoop loop = EventLoops.newEventLoop();
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeLoopAndExecutor() throws InterruptedException {
        loop.close();
        executor.shutdownNow();
        assertThat(executor.awaitTermination(PATIENCE_SECONDS, TimeUnit.SECONDS))
                .isTrue();
    }

    /** What a variant is given: a source that succeeds with "a" (or fails with "boom"), and a second stage. */
    @FunctionalInterface
    interface Variant {
        CompletionStage<?> apply(
                LoopFuture<String> source, CompletionStage<String> other, Executor executor, List<String> ran);
    }

    /** How the source ends, what the second stage is, and what the variant's stage ends with. */
    enum Shape {
        /** the source succeeds with "a"; no second stage */
        ONE,
        /** the source fails with "boom"; no second stage */
        FAILED,
        /** the source succeeds with "a", the second stage with "b" */
        BOTH,
        /** the source succeeds with "a", the second stage never completes */
        EITHER
    }

    private static Object[] variant(
            String name, Shape shape, boolean onExecutor, Object expected, String ranExpected, Variant variant) {
        return new Object[] {Named.of(name, variant), shape, onExecutor, expected, ranExpected};
    }

    static Stream<Object[]> variants() {
        return Stream.of(
                variant("thenApply", Shape.ONE, false, "a!", "a", (s, o, e, r) -> s.thenApply(v -> record(r, v) + "!")),
                variant(
                        "thenApplyAsync",
                        Shape.ONE,
                        false,
                        "a!",
                        "a",
                        (s, o, e, r) -> s.thenApplyAsync(v -> record(r, v) + "!")),
                variant(
                        "thenApplyAsync(executor)",
                        Shape.ONE,
                        true,
                        "a!",
                        "a",
                        (s, o, e, r) -> s.thenApplyAsync(v -> record(r, v) + "!", e)),
                variant("thenAccept", Shape.ONE, false, null, "a", (s, o, e, r) -> s.thenAccept(v -> record(r, v))),
                variant(
                        "thenAcceptAsync",
                        Shape.ONE,
                        false,
                        null,
                        "a",
                        (s, o, e, r) -> s.thenAcceptAsync(v -> record(r, v))),
                variant(
                        "thenAcceptAsync(executor)",
                        Shape.ONE,
                        true,
                        null,
                        "a",
                        (s, o, e, r) -> s.thenAcceptAsync(v -> record(r, v), e)),
                variant("thenRun", Shape.ONE, false, null, "run", (s, o, e, r) -> s.thenRun(() -> record(r, "run"))),
                variant(
                        "thenRunAsync",
                        Shape.ONE,
                        false,
                        null,
                        "run",
                        (s, o, e, r) -> s.thenRunAsync(() -> record(r, "run"))),
                variant(
                        "thenRunAsync(executor)",
                        Shape.ONE,
                        true,
                        null,
                        "run",
                        (s, o, e, r) -> s.thenRunAsync(() -> record(r, "run"), e)),
                variant(
                        "thenCompose",
                        Shape.ONE,
                        false,
                        "a?",
                        "a",
                        (s, o, e, r) -> s.thenCompose(v -> done(record(r, v) + "?"))),
                variant(
                        "thenComposeAsync",
                        Shape.ONE,
                        false,
                        "a?",
                        "a",
                        (s, o, e, r) -> s.thenComposeAsync(v -> done(record(r, v) + "?"))),
                variant(
                        "thenComposeAsync(executor)",
                        Shape.ONE,
                        true,
                        "a?",
                        "a",
                        (s, o, e, r) -> s.thenComposeAsync(v -> done(record(r, v) + "?"), e)),
                variant(
                        "handle",
                        Shape.ONE,
                        false,
                        "a/null",
                        "a",
                        (s, o, e, r) -> s.handle((v, t) -> record(r, v) + "/" + t)),
                variant(
                        "handleAsync",
                        Shape.ONE,
                        false,
                        "a/null",
                        "a",
                        (s, o, e, r) -> s.handleAsync((v, t) -> record(r, v) + "/" + t)),
                variant(
                        "handleAsync(executor)",
                        Shape.ONE,
                        true,
                        "a/null",
                        "a",
                        (s, o, e, r) -> s.handleAsync((v, t) -> record(r, v) + "/" + t, e)),
                variant(
                        "whenComplete",
                        Shape.ONE,
                        false,
                        "a",
                        "a",
                        (s, o, e, r) -> s.whenComplete((v, t) -> record(r, v))),
                variant(
                        "whenCompleteAsync",
                        Shape.ONE,
                        false,
                        "a",
                        "a",
                        (s, o, e, r) -> s.whenCompleteAsync((v, t) -> record(r, v))),
                variant(
                        "whenCompleteAsync(executor)",
                        Shape.ONE,
                        true,
                        "a",
                        "a",
                        (s, o, e, r) -> s.whenCompleteAsync((v, t) -> record(r, v), e)),
                variant(
                        "exceptionally",
                        Shape.FAILED,
                        false,
                        "boom",
                        "boom",
                        (s, o, e, r) -> s.exceptionally(t -> record(r, t.getMessage()))),
                variant(
                        "exceptionallyAsync",
                        Shape.FAILED,
                        false,
                        "boom",
                        "boom",
                        (s, o, e, r) -> s.exceptionallyAsync(t -> record(r, t.getMessage()))),
                variant(
                        "exceptionallyAsync(executor)",
                        Shape.FAILED,
                        true,
                        "boom",
                        "boom",
                        (s, o, e, r) -> s.exceptionallyAsync(t -> record(r, t.getMessage()), e)),
                variant(
                        "exceptionallyCompose",
                        Shape.FAILED,
                        false,
                        "boom?",
                        "boom",
                        (s, o, e, r) -> s.exceptionallyCompose(t -> done(record(r, t.getMessage()) + "?"))),
                variant(
                        "exceptionallyComposeAsync",
                        Shape.FAILED,
                        false,
                        "boom?",
                        "boom",
                        (s, o, e, r) -> s.exceptionallyComposeAsync(t -> done(record(r, t.getMessage()) + "?"))),
                variant(
                        "exceptionallyComposeAsync(executor)",
                        Shape.FAILED,
                        true,
                        "boom?",
                        "boom",
                        (s, o, e, r) -> s.exceptionallyComposeAsync(t -> done(record(r, t.getMessage()) + "?"), e)),
                variant(
                        "thenCombine",
                        Shape.BOTH,
                        false,
                        "ab",
                        "ab",
                        (s, o, e, r) -> s.thenCombine(o, (a, b) -> record(r, a + b))),
                variant(
                        "thenCombineAsync",
                        Shape.BOTH,
                        false,
                        "ab",
                        "ab",
                        (s, o, e, r) -> s.thenCombineAsync(o, (a, b) -> record(r, a + b))),
                variant(
                        "thenCombineAsync(executor)",
                        Shape.BOTH,
                        true,
                        "ab",
                        "ab",
                        (s, o, e, r) -> s.thenCombineAsync(o, (a, b) -> record(r, a + b), e)),
                variant(
                        "thenAcceptBoth",
                        Shape.BOTH,
                        false,
                        null,
                        "ab",
                        (s, o, e, r) -> s.thenAcceptBoth(o, (a, b) -> record(r, a + b))),
                variant(
                        "thenAcceptBothAsync",
                        Shape.BOTH,
                        false,
                        null,
                        "ab",
                        (s, o, e, r) -> s.thenAcceptBothAsync(o, (a, b) -> record(r, a + b))),
                variant(
                        "thenAcceptBothAsync(executor)",
                        Shape.BOTH,
                        true,
                        null,
                        "ab",
                        (s, o, e, r) -> s.thenAcceptBothAsync(o, (a, b) -> record(r, a + b), e)),
                variant(
                        "runAfterBoth",
                        Shape.BOTH,
                        false,
                        null,
                        "run",
                        (s, o, e, r) -> s.runAfterBoth(o, () -> record(r, "run"))),
                variant(
                        "runAfterBothAsync",
                        Shape.BOTH,
                        false,
                        null,
                        "run",
                        (s, o, e, r) -> s.runAfterBothAsync(o, () -> record(r, "run"))),
                variant(
                        "runAfterBothAsync(executor)",
                        Shape.BOTH,
                        true,
                        null,
                        "run",
                        (s, o, e, r) -> s.runAfterBothAsync(o, () -> record(r, "run"), e)),
                variant(
                        "applyToEither",
                        Shape.EITHER,
                        false,
                        "a!",
                        "a",
                        (s, o, e, r) -> s.applyToEither(o, v -> record(r, v) + "!")),
                variant(
                        "applyToEitherAsync",
                        Shape.EITHER,
                        false,
                        "a!",
                        "a",
                        (s, o, e, r) -> s.applyToEitherAsync(o, v -> record(r, v) + "!")),
                variant(
                        "applyToEitherAsync(executor)",
                        Shape.EITHER,
                        true,
                        "a!",
                        "a",
                        (s, o, e, r) -> s.applyToEitherAsync(o, v -> record(r, v) + "!", e)),
                variant(
                        "acceptEither",
                        Shape.EITHER,
                        false,
                        null,
                        "a",
                        (s, o, e, r) -> s.acceptEither(o, v -> record(r, v))),
                variant(
                        "acceptEitherAsync",
                        Shape.EITHER,
                        false,
                        null,
                        "a",
                        (s, o, e, r) -> s.acceptEitherAsync(o, v -> record(r, v))),
                variant(
                        "acceptEitherAsync(executor)",
                        Shape.EITHER,
                        true,
                        null,
                        "a",
                        (s, o, e, r) -> s.acceptEitherAsync(o, v -> record(r, v), e)),
                variant(
                        "runAfterEither",
                        Shape.EITHER,
                        false,
                        null,
                        "run",
                        (s, o, e, r) -> s.runAfterEither(o, () -> record(r, "run"))),
                variant(
                        "runAfterEitherAsync",
                        Shape.EITHER,
                        false,
                        null,
                        "run",
                        (s, o, e, r) -> s.runAfterEitherAsync(o, () -> record(r, "run"))),
                variant(
                        "runAfterEitherAsync(executor)",
                        Shape.EITHER,
                        true,
                        null,
                        "run",
                        (s, o, e, r) -> s.runAfterEitherAsync(o, () -> record(r, "run"), e)));
    }

    private static String record(List<String> ran, String what) {
        ran.add(what + " on " + Thread.currentThread().getName());
        return what;
    }

    private static CompletionStage<String> done(String value) {
        return CompletableFuture.completedFuture(value);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void theStageCompletesWithWhatItsFunctionMadeWhereItsFormSays(
            Variant variant, Shape shape, boolean onExecutor, Object expected, String ranExpected) {
        LoopFuture<String> source = loop.createFuture();
        LoopFuture<String> other = loop.createFuture();
        String[] loopThread = new String[1];

        Object result = loop.runUntilComplete(() -> {
            // callbacks run on the loop's thread: the caller's, or a driver thread where coroutines are virtual
            LoopFuture<String> where = Async.loop().createFuture();
            Async.loop().callSoon(() -> where.setResult(Thread.currentThread().getName()));
            loopThread[0] = Async.await(where);
            CompletionStage<?> stage = variant.apply(source, other, executor, ran);
            if (shape == Shape.FAILED) {
                source.setException(new IllegalStateException("boom"));
            } else {
                source.setResult("a");
            }
            if (shape == Shape.BOTH) {
                other.setResult("b");
            }
            assertThat(ran).as("functions run later, never inline").isEmpty();
            return Async.await(stage);
        });

        assertThat(result).isEqualTo(expected);
        assertThat(ran).containsExactly(ranExpected + " on " + (onExecutor ? EXECUTOR_THREAD : loopThread[0]));
    }

    @Test
    void everyExecutorFormRefusesANullExecutorNamingIt() {
        LoopFuture<String> source = loop.createFuture();
        LoopFuture<String> other = loop.createFuture();
        List<Variant> executorForms = variants()
                .filter(arguments -> (boolean) arguments[2])
                .map(arguments -> ((Named<?>) arguments[0]).getPayload())
                .map(Variant.class::cast)
                .toList();
        assertThat(executorForms).hasSize(14);

        for (Variant form : executorForms) {
            assertThatThrownBy(() -> form.apply(source, other, null, ran))
                    .isExactlyInstanceOf(NullPointerException.class)
                    .hasMessage("executor must not be null");
        }
        assertThat(ran).isEmpty();
    }
}
