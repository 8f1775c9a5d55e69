package dev.loopharness.internal;

/**
 * How long a platform thread that hands control to another spins before it parks. Off by default: a thread
 * parks at once. On the 2-vCPU VM this library is measured on, parking at once gave the steadiest switch
 * between a loop and a task on platform threads (a median of 1.9-2.0 µs quiet and with the other vCPU busy,
 * 11.5 µs with six busy processes), while spinning won only on an idle machine and lost badly under load (1,000
 * rounds: 0.86-12 µs quiet, 82 µs with six busy processes; 100 rounds: 4-40 µs): a spinning thread holds a core
 * that the thread it waits for may need. On hardware with cores to spare, {@code -Dloopharness.spins=1000} (the
 * number of {@link Thread#onSpinWait()} rounds) may still pay. Virtual threads never spin: their carrier runs the
 * thread they unparked, which is the fast path.
 */
final class Spinning {

    static final int SPINS = Math.max(0, Integer.getInteger("loopharness.spins", 0));

    private Spinning() {}
}
