/**
 * loopharness core: a single-threaded event loop in the model of Python's asyncio, with callbacks,
 * timers, futures and direct-style coroutines, on a real or virtual clock.
 *
 * <p>{@code dev.loopharness} is the API. {@code dev.loopharness.spi} is what a test harness needs from a
 * loop it owns (the JUnit extension is one), and nothing an application needs. The implementation
 * package, {@code dev.loopharness.internal}, is not exported.
 */
module dev.loopharness.core {
    exports dev.loopharness;
    exports dev.loopharness.spi;
}
