package dev.loopharness.mockito;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.junit.internal.Arguments;
import java.time.Duration;
import org.mockito.Mockito;
import org.mockito.internal.verification.api.VerificationData;
import org.mockito.verification.VerificationMode;
import org.mockito.verification.VerificationWithTimeout;

/**
 * A Mockito verification mode that retries another until it passes or a duration of loop time has passed,
 * suspending the verifying coroutine between attempts. Made by {@link LoopMockito#timeout(Duration)}; immutable.
 *
 * <p>It checks every {@value #POLL_MILLIS} milliseconds of loop time. When time is up, the last failure of the
 * wrapped mode is thrown as Mockito threw it (a {@code WantedButNotInvoked}, {@code TooFewActualInvocations} ...).
 *
 * @since 0.1.0
 */
public final class LoopTimeout implements VerificationWithTimeout {

    /** How often, in milliseconds of loop time, the verification is retried. */
    public static final long POLL_MILLIS = 10;

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
        long deadline = Arguments.saturatedAdd(loop.time(), Arguments.saturatedNanos(timeout));
        while (true) {
            try {
                delegate.verify(data);
                return;
            } catch (AssertionError failure) {
                long remaining = deadline - loop.time();
                if (remaining <= 0) {
                    throw failure;
                }
                Async.sleep(Duration.ofNanos(Math.min(remaining, POLL_MILLIS * 1_000_000)));
            }
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
