package dev.loopharness.internal;

/**
 * How long a platform thread that hands control to another spins before it parks. Off by default: a thread
 * parks at once. Measured on a 2-vCPU VM, parking at once gave the steadiest switch between a loop and a task on
 * platform threads, quiet and under load, while spinning won only on an idle machine and lost badly under load:
 * a spinning thread holds a core that the thread it waits for may need (the figures are in {@code
 * benchmarks/README.md}, "Row 4 on JDK 17 and loopharness.spins"). On hardware with cores to spare, {@code
 * -Dloopharness.spins=1000} (the number of {@link Thread#onSpinWait()} rounds) may still pay. Virtual threads
 * never spin: their carrier runs the thread they unparked, which is the fast path.
 */
final class Spinning {

    static final int SPINS = Math.max(0, Integer.getInteger("loopharness.spins", 0));

    private Spinning() {}
}
