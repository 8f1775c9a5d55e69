package dev.loopharness.benchmarks;

import java.util.function.LongSupplier;

/** Busy-waiting for a counter written by another thread, for producers that must see their work done. */
final class Await {

    private static final int SPINS_BEFORE_YIELD = 1 << 16;

    /** How long a consumer may make no progress before the producer calls it a stall and nudges it. */
    static final long STALL_NANOS = 1_000_000_000L;

    private Await() {}

    /**
     * Spins until {@code counter} reaches {@code target}, yielding now and then so that on a machine with few
     * cores the thread that must advance it still gets to run. If the counter does not move for {@link
     * #STALL_NANOS}, the consumer is taken to have missed a wake-up: {@code nudge} is run (it posts one more
     * no-op, which wakes it) and the wait goes on, so that a lost wake-up costs a second, visibly, instead of
     * hanging the suite.
     *
     * @return the number of nudges it took
     */
    static int atLeast(LongSupplier counter, long target, Runnable nudge) {
        int spins = 0;
        int nudges = 0;
        long seen = counter.getAsLong();
        long since = System.nanoTime();
        while (seen < target) {
            if (++spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                spins = 0;
                Thread.yield();
                long now = System.nanoTime();
                if (now - since > STALL_NANOS) {
                    nudges++;
                    nudge.run();
                    since = now;
                }
            }
            long current = counter.getAsLong();
            if (current != seen) {
                seen = current;
                since = System.nanoTime();
            }
        }
        return nudges;
    }
}
