package dev.loopharness.junit;

/**
 * Where a test's body runs: as a coroutine on the test's loop, or on JUnit's test thread, driving the loop itself.
 * Either way the harness creates the loop, guards it against {@code close()}, checks what each test leaves on it
 * and closes it when its scope ends.
 *
 * @since 0.1.0
 */
public enum BodyMode {
    /** The configured default: configuration parameter {@code loopharness.body}, else {@link #COROUTINE}. */
    DEFAULT,
    /**
     * Test and lifecycle methods run as coroutines on the loop: {@code Async.await}, {@code Async.sleep} and
     * {@code Async.gather} work in them, and calls that run a loop ({@code runUntilComplete}, {@code runForever},
     * {@code EventLoops.run}) are refused there, as asyncio refuses them inside a coroutine.
     */
    COROUTINE,
    /**
     * As {@link #COROUTINE}, except where the body starts: {@code COROUTINE} starts it on JUnit's thread, which
     * runs it until it first suspends, so that a test that never suspends costs no hand-off between threads; this
     * mode starts it on a thread of the loop's own instead, as JUnit's {@code @Timeout(threadMode =
     * SEPARATE_THREAD)} does. Choose it where a body may block in a call that ignores interrupts ({@code
     * ReentrantLock.lock()}, a socket read): past its timeout and a short grace such a body is abandoned, the test
     * fails naming the blocking frames and the next test runs at once, where under {@code COROUTINE} the test
     * fails only once the call returns. The cost is a hand-off between threads per test.
     *
     * @since 0.1.0
     */
    COROUTINE_SEPARATE_THREAD,
    /**
     * Test and lifecycle methods run on a plain thread that stands in for JUnit's test thread (one per loop, so
     * the methods of a scope share it and its thread-locals), as they would without the extension, and drive the
     * injected loop themselves with {@code runUntilComplete}, {@code runForever} and {@code stop()}: the way to
     * adopt the harness in an existing suite without rewriting it, as pytest-asyncio lets synchronous tests use
     * its loop. {@code EventLoops.getEventLoop()} answers the test's loop on that thread during the method; {@code
     * close()} is still refused; on timeout the test's tasks are cancelled and the thread interrupted, and a
     * method still blocked shortly after in a call that ignores interrupts is abandoned on that thread: the test
     * fails naming the blocking frames and the next method runs on a new thread.
     */
    TEST_THREAD
}
