package dev.loopharness.awaitility;

import dev.loopharness.EventLoop;
import dev.loopharness.junit.internal.Arguments;
import java.time.Duration;

/**
 * Where a loop-aware Awaitility wait starts: {@code LoopAwaitility.await().atMost(...).until(...)} reads as
 * Awaitility's {@code await()} does, and waits the way an event loop needs (see {@link LoopConditionFactory}).
 *
 * <pre>{@code
 * @Test
 * @WithEventLoop(clock = ClockMode.VIRTUAL)
 * void refreshesThePrice(EventLoop loop) {
 *     cache.startRefreshing(Duration.ofSeconds(5));        // a timer on the loop
 *     LoopAwaitility.await().atMost(Duration.ofSeconds(10)).until(() -> cache.refreshCount() >= 2);
 * }
 * }</pre>
 *
 * <p>Plain Awaitility in the same place blocks the coroutine, and with it the loop whose timer would have made the
 * condition true: it can only time out.
 *
 * @since 0.1.0
 */
public final class LoopAwaitility {

    private LoopAwaitility() {}

    /**
     * A wait on the loop of the coroutine that will wait. Called from a coroutine (a test body under {@code
     * WithEventLoop}, a task); elsewhere, name the loop with {@link #await(EventLoop)}.
     *
     * @return a factory with Awaitility's defaults
     */
    public static LoopConditionFactory await() {
        return new LoopConditionFactory(new WaitSettings(null));
    }

    /**
     * A named wait on the loop of the coroutine that will wait.
     *
     * @param alias the name, shown in the timeout message; not {@code null}
     * @return a factory with Awaitility's defaults
     */
    public static LoopConditionFactory await(String alias) {
        return await().alias(alias);
    }

    /**
     * A wait whose condition is evaluated on this loop. From one of the loop's coroutines it suspends, in loop
     * time; from a thread that runs no loop it waits in real time while the loop evaluates the condition (the
     * loop must be running, on another thread, for that).
     *
     * @param loop the loop; not {@code null}
     * @return a factory with Awaitility's defaults
     */
    public static LoopConditionFactory await(EventLoop loop) {
        return new LoopConditionFactory(new WaitSettings(Arguments.notNull(loop, "loop")));
    }

    /**
     * A wait on the waiting coroutine's loop, for Awaitility's {@code with().pollInterval(...).await()...}
     * phrasing.
     *
     * @return a factory with Awaitility's defaults
     */
    public static LoopConditionFactory with() {
        return await();
    }

    /**
     * A wait on the waiting coroutine's loop, for Awaitility's {@code given()...} phrasing.
     *
     * @return a factory with Awaitility's defaults
     */
    public static LoopConditionFactory given() {
        return await();
    }

    /**
     * A wait on the waiting coroutine's loop with this limit.
     *
     * @param timeout the longest wait, in loop time; zero or positive, not {@code null}
     * @return a factory
     */
    public static LoopConditionFactory waitAtMost(Duration timeout) {
        return await().atMost(timeout);
    }
}
