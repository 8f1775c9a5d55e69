package dev.loopharness.internal;

import dev.loopharness.Outcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;

/** asyncio's gather: one future over many. */
public final class Gathering {

    private Gathering() {}

    /**
     * A future that completes, with {@code null}, once every future given is done, whatever its outcome.
     * Nothing is retrieved from them.
     *
     * @param loop the loop
     * @param futures the futures, of that loop
     * @return the future
     */
    public static FutureImpl<Void> allSettled(DefaultEventLoop loop, List<? extends FutureImpl<?>> futures) {
        FutureImpl<Void> all = new FutureImpl<>(loop);
        int[] left = {futures.size()};
        if (left[0] == 0) {
            all.complete(null);
        }
        for (FutureImpl<?> future : futures) {
            future.whenDone(() -> {
                if (--left[0] == 0) {
                    all.complete(null);
                }
            });
        }
        return all;
    }

    /**
     * A future of every result in order, that fails with the first failure or cancellation among them, as
     * asyncio's {@code gather} without {@code return_exceptions}; failures after the first are retrieved and
     * dropped. Cancelling it cancels every future given.
     *
     * @param <T> the type of the results
     * @param loop the loop
     * @param futures the futures, of that loop
     * @return the future
     */
    public static <T> FutureImpl<List<T>> all(DefaultEventLoop loop, List<? extends FutureImpl<? extends T>> futures) {
        GatheringFuture<T> all = new GatheringFuture<>(loop, futures);
        int[] left = {futures.size()};
        if (left[0] == 0) {
            all.complete(List.of());
        }
        for (FutureImpl<? extends T> future : futures) {
            future.whenDone(() -> {
                left[0]--;
                if (all.isDone()) {
                    future.markRetrieved();
                } else if (!future.succeeded()) {
                    all.settleFrom(future);
                } else if (left[0] == 0) {
                    all.complete(results(futures));
                }
            });
        }
        return all;
    }

    /**
     * A future of every outcome in order, once every future given is done: asyncio's {@code gather} with {@code
     * return_exceptions=True}. Failures are retrieved. Cancelling it cancels every future given, and it then ends
     * cancelled once they are done.
     *
     * @param <T> the type of the results
     * @param loop the loop
     * @param futures the futures, of that loop
     * @return the future
     */
    public static <T> FutureImpl<List<Outcome<T>>> settled(
            DefaultEventLoop loop, List<? extends FutureImpl<? extends T>> futures) {
        GatheringFuture<Outcome<T>> all = new GatheringFuture<>(loop, futures);
        FutureImpl<Void> done = allSettled(loop, futures);
        done.whenDone(() -> {
            List<Outcome<T>> outcomes = new ArrayList<>(futures.size());
            for (FutureImpl<? extends T> future : futures) {
                outcomes.add(Settled.of(future));
            }
            if (all.cancelRequested) {
                all.cancelNow(new CancellationException(all.cancelMessage));
            } else {
                all.complete(Collections.unmodifiableList(outcomes));
            }
        });
        return all;
    }

    private static <T> List<T> results(List<? extends FutureImpl<? extends T>> futures) {
        List<T> results = new ArrayList<>(futures.size());
        for (FutureImpl<? extends T> future : futures) {
            results.add(future.valueNow());
        }
        return Collections.unmodifiableList(results);
    }

    /** The future of a gather: cancelling it cancels its children. */
    private static final class GatheringFuture<T> extends FutureImpl<List<T>> {

        private final List<? extends FutureImpl<?>> children;

        /** Whether a cancellation was requested, and its message. */
        boolean cancelRequested;

        String cancelMessage;

        GatheringFuture(DefaultEventLoop loop, List<? extends FutureImpl<?>> children) {
            super(loop);
            this.children = children;
        }

        @Override
        boolean requestCancel(String message) {
            if (isDone()) {
                return false;
            }
            cancelRequested = true;
            cancelMessage = message;
            boolean any = false;
            for (FutureImpl<?> child : children) {
                any |= child.requestCancel(message);
            }
            return any || super.requestCancel(message);
        }
    }
}
