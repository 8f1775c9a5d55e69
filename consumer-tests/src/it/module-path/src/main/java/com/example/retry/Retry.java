package com.example.retry;

import dev.loopharness.Async;
import dev.loopharness.Coroutine;
import java.time.Duration;

/** A user's code: calls an operation until it succeeds, doubling the pause between attempts. */
public final class Retry {
    private Retry() {}

    /** Runs inside a coroutine; rethrows the last failure after {@code attempts} attempts. */
    public static <T> T withBackoff(int attempts, Duration firstPause, Coroutine<T> operation) throws Exception {
        Duration pause = firstPause;
        for (int attempt = 1; ; attempt++) {
            try {
                return operation.run();
            } catch (Exception failure) {
                if (attempt == attempts) {
                    throw failure;
                }
            }
            Async.sleep(pause);
            pause = pause.multipliedBy(2);
        }
    }
}
