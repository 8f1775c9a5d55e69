package dev.loopharness.internal;

import dev.loopharness.LoopFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The {@link CompletionStage} methods of {@link FutureImpl}, each expressed through the primitives {@link
 * #derive}, {@link #compose} and {@link #either}. The variants without an executor, async or not, run their
 * function on the loop in a callback of their own (never inline); with an executor, the function runs there
 * and the stage settles on the loop.
 */
abstract class FutureStages<T> implements LoopFuture<T> {

    /** What a dependent stage computes from its done source. */
    @FunctionalInterface
    interface Computation<S, U> {
        U compute(FutureImpl<S> source) throws Throwable;
    }

    abstract <U> FutureImpl<U> derive(Executor executor, boolean handlesFailure, Computation<T, U> computation);

    abstract <U> FutureImpl<U> compose(
            Executor executor, boolean handlesFailure, Computation<T, CompletionStage<U>> computation);

    abstract FutureImpl<T> either(CompletionStage<? extends T> other);

    abstract <U> FutureImpl<U> adopt(CompletionStage<U> other);

    abstract FutureImpl<T> whenCompleteOn(Executor executor, BiConsumer<? super T, ? super Throwable> action);

    private static Executor executor(Executor executor) {
        return Arguments.notNull(executor, "executor");
    }

    // ---- one source ----------------------------------------------------------------------------------------

    @Override
    public <U> CompletionStage<U> thenApply(Function<? super T, ? extends U> fn) {
        return thenApplyOn(null, fn);
    }

    @Override
    public <U> CompletionStage<U> thenApplyAsync(Function<? super T, ? extends U> fn) {
        return thenApplyOn(null, fn);
    }

    @Override
    public <U> CompletionStage<U> thenApplyAsync(Function<? super T, ? extends U> fn, Executor executor) {
        return thenApplyOn(executor(executor), fn);
    }

    private <U> FutureImpl<U> thenApplyOn(Executor executor, Function<? super T, ? extends U> fn) {
        Arguments.notNull(fn, "fn");
        return derive(executor, false, source -> fn.apply(source.valueNow()));
    }

    @Override
    public CompletionStage<Void> thenAccept(Consumer<? super T> action) {
        return thenAcceptOn(null, action);
    }

    @Override
    public CompletionStage<Void> thenAcceptAsync(Consumer<? super T> action) {
        return thenAcceptOn(null, action);
    }

    @Override
    public CompletionStage<Void> thenAcceptAsync(Consumer<? super T> action, Executor executor) {
        return thenAcceptOn(executor(executor), action);
    }

    private FutureImpl<Void> thenAcceptOn(Executor executor, Consumer<? super T> action) {
        Arguments.notNull(action, "action");
        return derive(executor, false, source -> {
            action.accept(source.valueNow());
            return null;
        });
    }

    @Override
    public CompletionStage<Void> thenRun(Runnable action) {
        return thenRunOn(null, action);
    }

    @Override
    public CompletionStage<Void> thenRunAsync(Runnable action) {
        return thenRunOn(null, action);
    }

    @Override
    public CompletionStage<Void> thenRunAsync(Runnable action, Executor executor) {
        return thenRunOn(executor(executor), action);
    }

    private FutureImpl<Void> thenRunOn(Executor executor, Runnable action) {
        Arguments.notNull(action, "action");
        return derive(executor, false, source -> {
            action.run();
            return null;
        });
    }

    @Override
    public <U> CompletionStage<U> thenCompose(Function<? super T, ? extends CompletionStage<U>> fn) {
        return thenComposeOn(null, fn);
    }

    @Override
    public <U> CompletionStage<U> thenComposeAsync(Function<? super T, ? extends CompletionStage<U>> fn) {
        return thenComposeOn(null, fn);
    }

    @Override
    public <U> CompletionStage<U> thenComposeAsync(
            Function<? super T, ? extends CompletionStage<U>> fn, Executor executor) {
        return thenComposeOn(executor(executor), fn);
    }

    private <U> FutureImpl<U> thenComposeOn(Executor executor, Function<? super T, ? extends CompletionStage<U>> fn) {
        Arguments.notNull(fn, "fn");
        return compose(executor, false, source -> fn.apply(source.valueNow()));
    }

    @Override
    public <U> CompletionStage<U> handle(BiFunction<? super T, Throwable, ? extends U> fn) {
        return handleOn(null, fn);
    }

    @Override
    public <U> CompletionStage<U> handleAsync(BiFunction<? super T, Throwable, ? extends U> fn) {
        return handleOn(null, fn);
    }

    @Override
    public <U> CompletionStage<U> handleAsync(BiFunction<? super T, Throwable, ? extends U> fn, Executor executor) {
        return handleOn(executor(executor), fn);
    }

    private <U> FutureImpl<U> handleOn(Executor executor, BiFunction<? super T, Throwable, ? extends U> fn) {
        Arguments.notNull(fn, "fn");
        return derive(executor, true, source -> fn.apply(source.valueOrNull(), source.failureOrCancellation()));
    }

    @Override
    public CompletionStage<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
        return whenCompleteOn(null, Arguments.notNull(action, "action"));
    }

    @Override
    public CompletionStage<T> whenCompleteAsync(BiConsumer<? super T, ? super Throwable> action) {
        return whenCompleteOn(null, Arguments.notNull(action, "action"));
    }

    @Override
    public CompletionStage<T> whenCompleteAsync(BiConsumer<? super T, ? super Throwable> action, Executor executor) {
        return whenCompleteOn(executor(executor), Arguments.notNull(action, "action"));
    }

    @Override
    public CompletionStage<T> exceptionally(Function<Throwable, ? extends T> fn) {
        return exceptionallyOn(null, fn);
    }

    @Override
    public CompletionStage<T> exceptionallyAsync(Function<Throwable, ? extends T> fn) {
        return exceptionallyOn(null, fn);
    }

    @Override
    public CompletionStage<T> exceptionallyAsync(Function<Throwable, ? extends T> fn, Executor executor) {
        return exceptionallyOn(executor(executor), fn);
    }

    private FutureImpl<T> exceptionallyOn(Executor executor, Function<Throwable, ? extends T> fn) {
        Arguments.notNull(fn, "fn");
        return derive(
                executor,
                true,
                source -> source.succeeded() ? source.valueNow() : fn.apply(source.failureOrCancellation()));
    }

    @Override
    public CompletionStage<T> exceptionallyCompose(Function<Throwable, ? extends CompletionStage<T>> fn) {
        return exceptionallyComposeOn(null, fn);
    }

    @Override
    public CompletionStage<T> exceptionallyComposeAsync(Function<Throwable, ? extends CompletionStage<T>> fn) {
        return exceptionallyComposeOn(null, fn);
    }

    @Override
    public CompletionStage<T> exceptionallyComposeAsync(
            Function<Throwable, ? extends CompletionStage<T>> fn, Executor executor) {
        return exceptionallyComposeOn(executor(executor), fn);
    }

    private FutureImpl<T> exceptionallyComposeOn(
            Executor executor, Function<Throwable, ? extends CompletionStage<T>> fn) {
        Arguments.notNull(fn, "fn");
        return compose(
                executor, true, source -> source.succeeded() ? source : fn.apply(source.failureOrCancellation()));
    }

    // ---- two sources ---------------------------------------------------------------------------------------

    private <U, V> FutureImpl<V> combineOn(
            Executor executor, CompletionStage<? extends U> other, BiFunction<? super T, ? super U, ? extends V> fn) {
        Arguments.notNull(other, "other");
        Arguments.notNull(fn, "fn");
        FutureImpl<? extends U> second = adopt(other);
        return compose(
                null,
                false,
                first -> second.derive(executor, false, done -> fn.apply(first.valueNow(), done.valueNow())));
    }

    @Override
    public <U, V> CompletionStage<V> thenCombine(
            CompletionStage<? extends U> other, BiFunction<? super T, ? super U, ? extends V> fn) {
        return combineOn(null, other, fn);
    }

    @Override
    public <U, V> CompletionStage<V> thenCombineAsync(
            CompletionStage<? extends U> other, BiFunction<? super T, ? super U, ? extends V> fn) {
        return combineOn(null, other, fn);
    }

    @Override
    public <U, V> CompletionStage<V> thenCombineAsync(
            CompletionStage<? extends U> other, BiFunction<? super T, ? super U, ? extends V> fn, Executor executor) {
        return combineOn(executor(executor), other, fn);
    }

    private <U> FutureImpl<Void> acceptBothOn(
            Executor executor, CompletionStage<? extends U> other, BiConsumer<? super T, ? super U> action) {
        Arguments.notNull(action, "action");
        return combineOn(executor, other, (a, b) -> {
            action.accept(a, b);
            return null;
        });
    }

    @Override
    public <U> CompletionStage<Void> thenAcceptBoth(
            CompletionStage<? extends U> other, BiConsumer<? super T, ? super U> action) {
        return acceptBothOn(null, other, action);
    }

    @Override
    public <U> CompletionStage<Void> thenAcceptBothAsync(
            CompletionStage<? extends U> other, BiConsumer<? super T, ? super U> action) {
        return acceptBothOn(null, other, action);
    }

    @Override
    public <U> CompletionStage<Void> thenAcceptBothAsync(
            CompletionStage<? extends U> other, BiConsumer<? super T, ? super U> action, Executor executor) {
        return acceptBothOn(executor(executor), other, action);
    }

    private FutureImpl<Void> runAfterBothOn(Executor executor, CompletionStage<?> other, Runnable action) {
        Arguments.notNull(action, "action");
        return combineOn(executor, other, (a, b) -> {
            action.run();
            return null;
        });
    }

    @Override
    public CompletionStage<Void> runAfterBoth(CompletionStage<?> other, Runnable action) {
        return runAfterBothOn(null, other, action);
    }

    @Override
    public CompletionStage<Void> runAfterBothAsync(CompletionStage<?> other, Runnable action) {
        return runAfterBothOn(null, other, action);
    }

    @Override
    public CompletionStage<Void> runAfterBothAsync(CompletionStage<?> other, Runnable action, Executor executor) {
        return runAfterBothOn(executor(executor), other, action);
    }

    private <U> FutureImpl<U> applyToEitherOn(
            Executor executor, CompletionStage<? extends T> other, Function<? super T, U> fn) {
        Arguments.notNull(other, "other");
        Arguments.notNull(fn, "fn");
        return either(other).derive(executor, false, first -> fn.apply(first.valueNow()));
    }

    @Override
    public <U> CompletionStage<U> applyToEither(CompletionStage<? extends T> other, Function<? super T, U> fn) {
        return applyToEitherOn(null, other, fn);
    }

    @Override
    public <U> CompletionStage<U> applyToEitherAsync(CompletionStage<? extends T> other, Function<? super T, U> fn) {
        return applyToEitherOn(null, other, fn);
    }

    @Override
    public <U> CompletionStage<U> applyToEitherAsync(
            CompletionStage<? extends T> other, Function<? super T, U> fn, Executor executor) {
        return applyToEitherOn(executor(executor), other, fn);
    }

    private FutureImpl<Void> acceptEitherOn(
            Executor executor, CompletionStage<? extends T> other, Consumer<? super T> action) {
        Arguments.notNull(action, "action");
        return applyToEitherOn(executor, other, value -> {
            action.accept(value);
            return null;
        });
    }

    @Override
    public CompletionStage<Void> acceptEither(CompletionStage<? extends T> other, Consumer<? super T> action) {
        return acceptEitherOn(null, other, action);
    }

    @Override
    public CompletionStage<Void> acceptEitherAsync(CompletionStage<? extends T> other, Consumer<? super T> action) {
        return acceptEitherOn(null, other, action);
    }

    @Override
    public CompletionStage<Void> acceptEitherAsync(
            CompletionStage<? extends T> other, Consumer<? super T> action, Executor executor) {
        return acceptEitherOn(executor(executor), other, action);
    }

    @SuppressWarnings("unchecked")
    private FutureImpl<Void> runAfterEitherOn(Executor executor, CompletionStage<?> other, Runnable action) {
        Arguments.notNull(action, "action");
        return applyToEitherOn(executor, (CompletionStage<? extends T>) other, value -> {
            action.run();
            return null;
        });
    }

    @Override
    public CompletionStage<Void> runAfterEither(CompletionStage<?> other, Runnable action) {
        return runAfterEitherOn(null, other, action);
    }

    @Override
    public CompletionStage<Void> runAfterEitherAsync(CompletionStage<?> other, Runnable action) {
        return runAfterEitherOn(null, other, action);
    }

    @Override
    public CompletionStage<Void> runAfterEitherAsync(CompletionStage<?> other, Runnable action, Executor executor) {
        return runAfterEitherOn(executor(executor), other, action);
    }
}
