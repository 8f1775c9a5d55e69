package dev.loopharness;

/** The real clock: {@link System#nanoTime()}. */
enum SystemLoopClock implements LoopClock {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public String toString() {
        return "LoopClock.system()";
    }
}
