/**
 * loopharness core: a single-threaded event loop in the model of Python's asyncio, with callbacks,
 * timers, futures and direct-style coroutines, on a real or virtual clock.
 */
module dev.loopharness.core {
    exports dev.loopharness;
}
