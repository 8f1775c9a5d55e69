package dev.loopharness.internal;

import java.util.Locale;

/** Durations written for people. */
public final class Durations {

    private Durations() {}

    /**
     * Nanoseconds as seconds with three decimals, as asyncio writes them: {@code 0.150}.
     *
     * @param nanos the nanoseconds
     * @return the text
     */
    public static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
    }
}
