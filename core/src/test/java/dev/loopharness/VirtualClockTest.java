package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Virtual time: the loop jumps to its next timer; tests move time by hand; the JDK clock view follows. */
class VirtualClockTest {

    private final List<EventLoop> loops = new ArrayList<>();
    private final List<ExceptionContext> reports = new CopyOnWriteArrayList<>();
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeLoops() {
        loops.forEach(EventLoop::close);
        assertThat(reports).isEmpty();
    }

    private EventLoop newLoop(VirtualClock clock) {
        EventLoop loop = EventLoops.newEventLoop(clock);
        loop.setExceptionHandler((l, context) -> reports.add(context));
        loops.add(loop);
        return loop;
    }

    private static long nanos(Duration duration) {
        return duration.toNanos();
    }

    // ---- the loop jumps ------------------------------------------------------------------------------------

    @Test
    void aLoopWithNothingReadyJumpsToItsNextTimer() {
        VirtualClock clock = new VirtualClock();
        EventLoop loop = newLoop(clock);
        loop.callLater(Duration.ofSeconds(3), () -> ran.add("3s at " + Duration.ofNanos(loop.time())));
        loop.callLater(Duration.ofSeconds(1), () -> ran.add("1s at " + Duration.ofNanos(loop.time())));
        loop.callLater(Duration.ofSeconds(5), loop::stop);
        loop.callLater(Duration.ofSeconds(7), () -> ran.add("7s, after the stop"));

        loop.runForever();

        assertThat(ran).containsExactly("1s at PT1S", "3s at PT3S");
        assertThat(loop.time()).isEqualTo(nanos(Duration.ofSeconds(5)));
        assertThat(clock.nanoTime()).isEqualTo(loop.time());
    }

    @Test
    void anHourLongTimerFiresAtOnceAndTheLoopSaysAnHourPassed() {
        VirtualClock clock = new VirtualClock();
        EventLoop loop = newLoop(clock);
        List<Long> firedAt = new ArrayList<>();
        loop.callLater(Duration.ofHours(1), () -> {
            firedAt.add(loop.time());
            loop.stop();
        });

        loop.runForever();

        assertThat(firedAt).containsExactly(nanos(Duration.ofHours(1)));
        assertThat(loop.time()).isEqualTo(3_600_000_000_000L);
        assertThat(clock.instant()).isEqualTo(VirtualClock.DEFAULT_START.plus(Duration.ofHours(1)));
    }

    @Test
    void theLoopDoesNotJumpWhileCallbacksAreReady() {
        VirtualClock clock = new VirtualClock();
        EventLoop loop = newLoop(clock);
        loop.callLater(Duration.ofSeconds(1), () -> ran.add("timer at " + Duration.ofNanos(loop.time())));
        // a chain of callbacks keeps the loop busy for three iterations; time stands still meanwhile
        loop.callSoon(() -> loop.callSoon(() -> loop.callSoon(() -> ran.add("chain at " + loop.time()))));
        loop.callLater(Duration.ofSeconds(2), loop::stop);

        loop.runForever();

        assertThat(ran).containsExactly("chain at 0", "timer at PT1S");
    }

    @Test
    void runUntilCompleteInVirtualTimeReturnsOnceATimerCompletesTheFuture() {
        VirtualClock clock = new VirtualClock();
        EventLoop loop = newLoop(clock);
        LoopFuture<String> future = loop.createFuture();
        loop.callLater(Duration.ofDays(2), () -> future.setResult("two days later"));

        assertThat(loop.runUntilComplete(future)).isEqualTo("two days later");
        assertThat(loop.time()).isEqualTo(nanos(Duration.ofDays(2)));
    }

    // ---- moving time by hand -------------------------------------------------------------------------------

    @Test
    void aNewClockReadsZeroAtItsStartInstant() {
        VirtualClock clock = new VirtualClock();

        assertThat(clock.nanoTime()).isZero();
        assertThat(clock.startInstant()).isEqualTo(VirtualClock.DEFAULT_START);
        assertThat(clock.instant()).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
        assertThat(new VirtualClock(Instant.EPOCH).instant()).isEqualTo(Instant.EPOCH);
    }

    @Test
    void advanceMovesTimeForward() {
        VirtualClock clock = new VirtualClock();

        clock.advance(Duration.ofMillis(1500));
        clock.advance(Duration.ZERO);
        clock.advance(Duration.ofNanos(1));

        assertThat(clock.nanoTime()).isEqualTo(1_500_000_001L);
        assertThat(clock.instant()).isEqualTo(VirtualClock.DEFAULT_START.plusNanos(1_500_000_001L));
        assertThat(clock).hasToString("VirtualClock[PT1.500000001S, 2000-01-01T00:00:01.500000001Z]");
    }

    @Test
    void advanceRefusesANegativeDurationAndNamesIt() {
        VirtualClock clock = new VirtualClock();
        clock.advance(Duration.ofSeconds(3));

        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duration must not be negative")
                .hasMessageContaining("PT-1S");
        assertThat(clock.nanoTime()).isEqualTo(nanos(Duration.ofSeconds(3)));
    }

    @Test
    void advanceRefusesNull() {
        assertThatThrownBy(() -> new VirtualClock().advance(null))
                .isExactlyInstanceOf(NullPointerException.class)
                .hasMessageContaining("duration");
    }

    @Test
    void advanceSaturatesAtTheLargestReading() {
        VirtualClock clock = new VirtualClock();
        clock.advance(Duration.ofSeconds(1));

        clock.advance(Duration.ofSeconds(Long.MAX_VALUE));
        clock.advance(Duration.ofDays(1));

        assertThat(clock.nanoTime()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void advanceToMovesForwardOnly() {
        VirtualClock clock = new VirtualClock();

        clock.advanceTo(5_000);
        assertThat(clock.nanoTime()).isEqualTo(5_000);

        clock.advanceTo(1_000);
        assertThat(clock.nanoTime()).isEqualTo(5_000);

        clock.advanceTo(5_000);
        assertThat(clock.nanoTime()).isEqualTo(5_000);
    }

    @Test
    void theLoopReadsTheClockItWasGiven() {
        VirtualClock clock = new VirtualClock();
        EventLoop loop = newLoop(clock);

        clock.advance(Duration.ofMinutes(7));

        assertThat(loop.time()).isEqualTo(nanos(Duration.ofMinutes(7)));
    }

    @Test
    void advancingTheClockMakesTimersDueOnTheNextIteration() {
        VirtualClock clock = new VirtualClock();
        EventLoop loop = newLoop(clock);
        loop.callLater(Duration.ofSeconds(10), () -> ran.add("10s timer at " + Duration.ofNanos(loop.time())));
        loop.callLater(Duration.ofSeconds(20), () -> ran.add("20s timer"));

        clock.advance(Duration.ofSeconds(15));
        loop.stop();
        loop.runForever();

        assertThat(ran).containsExactly("10s timer at PT15S");
        assertThat(loop.time()).isEqualTo(nanos(Duration.ofSeconds(15)));
    }

    // ---- the JDK clock view --------------------------------------------------------------------------------

    @Test
    void asClockReadsTheStartInstantPlusTheTimeThatPassed() {
        VirtualClock clock = new VirtualClock();
        EventLoop loop = newLoop(clock);
        Clock view = loop.asClock();

        assertThat(view.instant()).isEqualTo(VirtualClock.DEFAULT_START);
        assertThat(view.getZone()).isEqualTo(ZoneOffset.UTC);

        loop.callLater(Duration.ofMinutes(90).plusNanos(123_456_789), loop::stop);
        loop.runForever();

        Instant expected =
                VirtualClock.DEFAULT_START.plus(Duration.ofMinutes(90)).plusNanos(123_456_789);
        assertThat(view.instant()).isEqualTo(expected);
        assertThat(view.millis()).isEqualTo(expected.toEpochMilli());
        assertThat(loop.asClock().instant()).isEqualTo(clock.instant());
    }

    @Test
    void asClockFollowsAClockWithItsOwnStart() {
        Instant start = Instant.parse("2024-02-29T23:59:59Z");
        VirtualClock clock = new VirtualClock(start);
        EventLoop loop = newLoop(clock);

        clock.advance(Duration.ofSeconds(2));

        assertThat(loop.asClock().instant()).isEqualTo(Instant.parse("2024-03-01T00:00:01Z"));
    }

    @Test
    void asClockFollowsAClockThatStartsFarInTheFuture() {
        Instant start = Instant.parse("2500-06-01T12:00:00Z");
        VirtualClock clock = new VirtualClock(start);
        EventLoop loop = newLoop(clock);

        clock.advance(Duration.ofHours(1));

        assertThat(loop.asClock().instant()).isEqualTo(Instant.parse("2500-06-01T13:00:00Z"));
        assertThat(loop.asClock().millis())
                .isEqualTo(Instant.parse("2500-06-01T13:00:00Z").toEpochMilli());
    }

    @Test
    void asClockFollowsTheLoopToASaturatedTimer() {
        VirtualClock clock = new VirtualClock();
        EventLoop loop = newLoop(clock);
        loop.callLater(Duration.ofSeconds(Long.MAX_VALUE), loop::stop);

        loop.runForever();

        assertThat(loop.time()).isEqualTo(Long.MAX_VALUE);
        assertThat(loop.asClock().instant()).isEqualTo(VirtualClock.DEFAULT_START.plusNanos(Long.MAX_VALUE));
    }

    @Test
    void asClockWithZoneKeepsTheInstantAndChangesTheZone() {
        VirtualClock clock = new VirtualClock();
        EventLoop loop = newLoop(clock);
        clock.advance(Duration.ofHours(5));
        ZoneId paris = ZoneId.of("Europe/Paris");

        Clock zoned = loop.asClock().withZone(paris);

        assertThat(zoned.getZone()).isEqualTo(paris);
        assertThat(zoned.instant()).isEqualTo(Instant.parse("2000-01-01T05:00:00Z"));
        assertThat(java.time.LocalDateTime.now(zoned)).isEqualTo("2000-01-01T06:00:00");
        assertThat(loop.asClock().withZone(ZoneOffset.UTC)).isEqualTo(loop.asClock());
        assertThat(zoned).isNotEqualTo(loop.asClock());
    }
}
