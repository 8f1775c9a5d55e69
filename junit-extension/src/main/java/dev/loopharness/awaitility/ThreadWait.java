package dev.loopharness.awaitility;

import dev.loopharness.EventLoop;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * A wait on a thread that is not the loop's: Awaitility's own engine, in real time, told through its poll
 * executor hook to evaluate every condition on the loop. Awaitility's extension points suffice here; they do not
 * on the loop itself, where Awaitility would sleep on, and measure time from, the very thread the loop needs.
 */
final class ThreadWait {

    private ThreadWait() {}

    static ConditionFactory factory(EventLoop loop, WaitSettings settings) {
        ConditionFactory factory = settings.alias == null ? Awaitility.await() : Awaitility.await(settings.alias);
        factory = settings.atMost == null ? factory.forever() : factory.atMost(settings.atMost);
        if (settings.atLeast != null) {
            factory = factory.atLeast(settings.atLeast);
        }
        if (settings.holdFor != null) {
            factory = factory.during(settings.holdFor);
        }
        factory = factory.pollInterval(settings.pollInterval).pollDelay(settings.effectivePollDelay());
        if (settings.failFast != null) {
            factory = settings.failFastReason == null
                    ? factory.failFast(settings.failFast)
                    : factory.failFast(settings.failFastReason, settings.failFast);
        }
        return factory.ignoreExceptionsMatching(settings.ignored).pollExecutorService(new LoopPollExecutor(loop));
    }
}
