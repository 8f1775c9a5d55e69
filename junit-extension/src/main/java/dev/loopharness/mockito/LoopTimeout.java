package dev.loopharness.mockito;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.junit.internal.Arguments;
import dev.loopharness.junit.internal.LoopPolling;
import java.time.Duration;
import java.util.List;
import org.mockito.Mockito;
import org.mockito.internal.verification.api.VerificationData;
import org.mockito.invocation.Invocation;
import org.mockito.verification.VerificationMode;
import org.mockito.verification.VerificationWithTimeout;

/**
 * A Mockito verification mode that retries another until it passes or a duration of loop time has passed,
 * suspending the verifying coroutine between attempts. Made by {@link LoopMockito#timeout(Duration)}; immutable.
 *
 * <p>It checks every {@value #POLL_MILLIS} milliseconds of loop time, and verifies again only when the mock has
 * recorded a call since the last failed attempt (a verification's outcome depends on the calls alone), so a long
 * wait in virtual time costs a Mockito failure per call rather than per poll. When time is up, the last failure of the
 * wrapped mode is thrown as Mockito threw it (a {@code WantedButNotInvoked}, {@code TooFewActualInvocations} ...).
 *
 * @since 0.1.0
 */
public final class LoopTimeout implements VerificationWithTimeout {

    /** How often, in milliseconds of loop time, the verification is retried. */
    public static final long POLL_MILLIS = 10;

    private static final LoopPolling.Interval EVERY_POLL = (count, previous) -> Duration.ofMillis(POLL_MILLIS);

    private final Duration timeout;
    private final VerificationMode delegate;

    LoopTimeout(Duration timeout, VerificationMode delegate) {
        Arguments.notNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException(MockitoMessages.negative("timeout", timeout));
        }
        this.timeout = timeout;
        this.delegate = delegate;
    }

    /**
     * Retries the wrapped verification until it passes or the timeout is over.
     *
     * @param data what Mockito recorded
     * @throws IllegalStateException outside a coroutine
     */
    @Override
    public void verify(VerificationData data) {
        if (!Async.inCoroutine()) {
            throw new IllegalStateException(MockitoMessages.verifyOutsideCoroutine());
        }
        EventLoop loop = Async.loop();
        AssertionError[] last = new AssertionError[1];
        int[] verifiedCount = {-1}; // what the last failed attempt verified: how many calls, and the last one
        Invocation[] verifiedLast = {null};
        LoopPolling.Attempt<RuntimeException> attempt = () -> {
            List<Invocation> invocations = data.getAllInvocations();
            Invocation lastCall = invocations.isEmpty() ? null : invocations.get(invocations.size() - 1);
            if (invocations.size() == verifiedCount[0] && lastCall == verifiedLast[0]) {
                return false; // no call was recorded since: the same verification fails the same way
            }
            verifiedCount[0] = invocations.size();
            verifiedLast[0] = lastCall;
            try {
                delegate.verify(data);
                return true;
            } catch (AssertionError failure) {
                last[0] = failure;
                return false;
            }
        };
        if (!LoopPolling.poll(loop, LoopPolling.deadline(loop, timeout), Duration.ZERO, EVERY_POLL, attempt)) {
            throw last[0];
        }
    }

    /**
     * The call happens exactly this many times within the timeout.
     *
     * @param wantedNumberOfInvocations the count; zero or more
     * @return the verification mode
     */
    @Override
    public VerificationMode times(int wantedNumberOfInvocations) {
        return new LoopTimeout(timeout, Mockito.times(wantedNumberOfInvocations));
    }

    /**
     * The call happens at least once within the timeout.
     *
     * @return the verification mode
     */
    @Override
    public VerificationMode atLeastOnce() {
        return new LoopTimeout(timeout, Mockito.atLeastOnce());
    }

    /**
     * The call happens at least this many times within the timeout.
     *
     * @param minNumberOfInvocations the count; zero or more
     * @return the verification mode
     */
    @Override
    public VerificationMode atLeast(int minNumberOfInvocations) {
        return new LoopTimeout(timeout, Mockito.atLeast(minNumberOfInvocations));
    }

    /**
     * The call is the only one on the mock, within the timeout.
     *
     * @return the verification mode
     */
    @Override
    public VerificationMode only() {
        return new LoopTimeout(timeout, Mockito.only());
    }

    @Override
    public String toString() {
        return "LoopMockito.timeout(" + timeout + ") of " + delegate;
    }
}
