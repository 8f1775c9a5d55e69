/**
 * loopharness core: a single-threaded event loop in the model of Python's asyncio, with callbacks,
 * timers, futures and direct-style coroutines, on a real or virtual clock.
 *
 * <p>{@code dev.loopharness} is the API. The implementation package is opened to the JUnit extension
 * alone, which builds on it; when the extension is absent the qualified export names a module that
 * is not there, which the module system allows.
 */
@SuppressWarnings("module")
module dev.loopharness.core {
    exports dev.loopharness;
    exports dev.loopharness.internal to
            dev.loopharness.junit;
}
