package dev.loopharness.internal;

/**
 * How long a thread that hands control to another spins before it parks. The other side often hands control
 * back within microseconds, and waking a parked thread costs far more than that on a busy or virtualised
 * machine (tens of microseconds were measured here). The default is short (100 rounds, a few microseconds):
 * a long spin holds a core that the other side may need when the machine is busy. The system property {@code loopharness.spins} sets the
 * number of {@link Thread#onSpinWait()} rounds; 0 turns spinning off.
 */
final class Spinning {

    static final int SPINS = Math.max(0, Integer.getInteger("loopharness.spins", 100));

    private Spinning() {}
}
