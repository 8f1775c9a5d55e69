package dev.loopharness.internal;

import dev.loopharness.ExceptionContext;
import dev.loopharness.LoopFuture;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A loop's failed futures and tasks whose exception nobody retrieved yet, reported as asyncio reports them
 * when it collects them: here when the loop closes, or when its owner asks. Confined to the thread that owns
 * the loop.
 */
final class UnretrievedFailures {

    private final Set<FutureImpl<?>> unretrieved = new LinkedHashSet<>();

    void add(FutureImpl<?> future) {
        unretrieved.add(future);
    }

    void remove(FutureImpl<?> future) {
        unretrieved.remove(future);
    }

    /** A snapshot. */
    List<LoopFuture<?>> snapshot() {
        return List.copyOf(unretrieved);
    }

    /** Reports each to the loop's exception handler, and forgets them. */
    void report(DefaultEventLoop loop) {
        List<FutureImpl<?>> failed = new ArrayList<>(unretrieved);
        unretrieved.clear();
        for (FutureImpl<?> future : failed) {
            ExceptionContext context = ExceptionContext.of(
                    (future instanceof TaskImpl ? "Task" : "Future") + " exception was never retrieved",
                    future.failureOrCancellation());
            loop.callExceptionHandler(future instanceof TaskImpl ? context.withTask((TaskImpl<?>) future) : context);
        }
    }
}
