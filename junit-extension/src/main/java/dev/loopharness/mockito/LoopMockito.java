package dev.loopharness.mockito;

import java.time.Duration;
import org.mockito.Mockito;

/**
 * Mockito verification in loop time: {@code verify(mock, LoopMockito.timeout(Duration.ofSeconds(2))).send(any())}
 * waits up to two seconds of loop time for the call, suspending the waiting coroutine so that the loop can make
 * the call meanwhile. Mockito's own {@code timeout(millis)} sleeps on the calling thread, which on the loop stops
 * the very work it waits for, and counts real milliseconds where a virtual clock counts virtual ones.
 *
 * @since 0.1.0
 */
public final class LoopMockito {

    private LoopMockito() {}

    /**
     * Verifies that the call happens, once, within this much loop time; chain {@link LoopTimeout#times(int)},
     * {@link LoopTimeout#atLeast(int)} and the like for other counts. Must be used from a coroutine (a test body
     * under {@code @WithEventLoop}, a task).
     *
     * @param timeout the longest wait, in loop time; zero or positive, not {@code null}
     * @return the verification mode
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static LoopTimeout timeout(Duration timeout) {
        return new LoopTimeout(timeout, Mockito.times(1));
    }
}
