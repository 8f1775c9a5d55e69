package dev.loopharness.awaitility;

import dev.loopharness.EventLoop;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.awaitility.pollinterval.FixedPollInterval;
import org.awaitility.pollinterval.PollInterval;

/**
 * What one wait is configured with. A copy is changed and handed to a new factory, never the published one, so
 * a {@link LoopConditionFactory} is immutable and may be shared.
 */
final class WaitSettings implements Cloneable {

    static final Duration DEFAULT_AT_MOST = Duration.ofSeconds(10);
    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(100);

    EventLoop loop;
    String alias;
    /** {@code null}: forever. */
    Duration atMost = DEFAULT_AT_MOST;
    /** {@code null}: no lower bound. */
    Duration atLeast;
    /** {@code null}: the condition need not hold for a while. */
    Duration holdFor;

    PollInterval pollInterval = new FixedPollInterval(DEFAULT_POLL_INTERVAL);
    /** {@code null}: Awaitility's rule, the interval for a fixed one, else zero. */
    Duration pollDelay;

    Predicate<? super Throwable> ignored = failure -> false;
    String failFastReason;
    Callable<Boolean> failFast;

    WaitSettings(EventLoop loop) {
        this.loop = loop;
    }

    /** A changed copy. */
    WaitSettings with(Consumer<WaitSettings> change) {
        WaitSettings copy;
        try {
            copy = (WaitSettings) clone();
        } catch (CloneNotSupportedException impossible) {
            throw new AssertionError(impossible);
        }
        change.accept(copy);
        return copy;
    }

    /** The delay before the first evaluation, as Awaitility derives it when none was set. */
    Duration effectivePollDelay() {
        if (pollDelay != null) {
            return pollDelay;
        }
        return pollInterval instanceof FixedPollInterval ? pollInterval.next(1, Duration.ZERO) : Duration.ZERO;
    }
}
