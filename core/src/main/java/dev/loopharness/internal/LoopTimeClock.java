package dev.loopharness.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/** {@link java.time.Clock} over a loop's time: the loop's wall-clock origin plus the loop time passed. */
final class LoopTimeClock extends Clock {

    private final DefaultEventLoop loop;
    private final ZoneId zone;

    LoopTimeClock(DefaultEventLoop loop, ZoneId zone) {
        this.loop = loop;
        this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        Arguments.notNull(newZone, "zone");
        return newZone.equals(zone) ? this : new LoopTimeClock(loop, newZone);
    }

    /**
     * The wall-clock instant of the loop's current time. An {@link Instant}, not epoch nanoseconds: a virtual
     * clock may start, or be jumped, past 2262, where epoch nanoseconds overflow a long.
     */
    @Override
    public Instant instant() {
        VirtualTimePolicy virtualTime = loop.run.virtualTime();
        if (virtualTime != null) {
            return virtualTime.instant();
        }
        return Instant.ofEpochMilli(loop.wallClockOriginMillis)
                .plusNanos(loop.clock().nanoTime() - loop.clockOrigin);
    }

    @Override
    public long millis() {
        return instant().toEpochMilli();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LoopTimeClock
                && ((LoopTimeClock) other).loop == loop
                && ((LoopTimeClock) other).zone.equals(zone);
    }

    @Override
    public int hashCode() {
        return Objects.hash(System.identityHashCode(loop), zone);
    }

    @Override
    public String toString() {
        return "LoopTimeClock[" + loop + ", " + zone + "]";
    }
}
