package dev.loopharness.internal;

import dev.loopharness.Outcome;
import java.util.concurrent.CancellationException;

/** An {@link Outcome} read from a done future. */
final class Settled<T> implements Outcome<T> {

    private final T value;
    private final Throwable exception;

    private Settled(T value, Throwable exception) {
        this.value = value;
        this.exception = exception;
    }

    /** The outcome of a done future; reading it counts as retrieving the future's exception. */
    static <T> Settled<T> of(FutureImpl<? extends T> future) {
        Throwable failure = future.failureOrCancellation();
        if (failure == null) {
            return new Settled<>(future.valueNow(), null);
        }
        future.markRetrieved();
        return new Settled<>(null, failure);
    }

    @Override
    public boolean isSuccess() {
        return exception == null;
    }

    @Override
    public boolean isCancelled() {
        return exception instanceof CancellationException;
    }

    @Override
    public T value() {
        if (exception != null) {
            throw new IllegalStateException(
                    "Outcome has no value: it " + (isCancelled() ? "was cancelled" : "failed") + " with " + exception,
                    exception);
        }
        return value;
    }

    @Override
    public Throwable exception() {
        return exception;
    }

    @Override
    public String toString() {
        return isSuccess() ? "<Outcome value=" + value + ">" : "<Outcome exception=" + exception + ">";
    }
}
