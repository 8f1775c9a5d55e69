package dev.loopharness.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loopharness.Async;
import dev.loopharness.TimerHandle;
import dev.loopharness.VirtualClock;
import dev.loopharness.spi.ExploredSchedule;
import dev.loopharness.spi.ExploredSchedule.Strategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A seed written in a failure report replays the same decisions in a later build: the decisions drawn for recorded
 * seeds, and what each does to the loop (the order timers fire in, the iteration held-back work arrives in), are
 * pinned here. The expected decisions were computed apart from this code, from the drawing as {@link
 * SeededSchedule} documents it (SplitMix64's finalizer of {@code seed + (index + 1) * golden}); a change to the
 * drawing fails this test and must be deliberate, since it breaks every recorded seed.
 */
class SeededScheduleReplayTest {

    private static final Duration JITTER = Duration.ofMillis(5);

    /** Timers 0 to 2 due at 1 ms, timer 3 at 3 ms. */
    private static final long[] DUE_MILLIS = {1, 1, 1, 3};

    /** Seed 860, uniform: timer 0 fires 3.665 ms late, timer 1 goes ahead, held work waits 2, 2, 1, 2 iterations. */
    private static final long UNIFORM_SEED = 860;

    @Test
    void mixIsSplitMix64sFinalizer() {
        // the first three outputs of SplitMix64 seeded with 0, as published with the generator
        long golden = 0x9E3779B97F4A7C15L;
        assertEquals(0xE220A8397B1DCDAFL, SeededSchedule.mix(golden));
        assertEquals(0x6E789E6AA1B965F4L, SeededSchedule.mix(2 * golden));
        assertEquals(0x06C45D188009454FL, SeededSchedule.mix(3 * golden));
    }

    @Test
    void aRecordedUniformSeedReplaysItsTimerDecisions() {
        Run run = runTimers(schedule(Strategy.UNIFORM, UNIFORM_SEED, null), -1);

        assertThat(run.traces())
                .containsExactly(
                        "#0 late=3665us ahead=false",
                        "#2 late=0us ahead=true",
                        "#4 late=0us ahead=false",
                        "#6 late=0us ahead=false");
        assertEquals(
                List.of("timer 1 at 1000000", "timer 2 at 1000000", "timer 3 at 3000000", "timer 0 at 4665000"),
                run.fired);
        assertThat(run.schedule.departures())
                .extracting(ExploredSchedule.Decision::index)
                .containsExactly(0, 2);
        String late = run.schedule.departures().get(0).toString();
        assertThat(late)
                .startsWith("#0 timer of a callback due at 0.001 s (created at ")
                .contains(" fired 3.665 ms late, after timer of a callback due at 0.001 s (created at ")
                .contains(" and timer of a callback due at 0.003 s (created at ")
                .doesNotContain("ahead");
        assertEquals(3, late.split(" and ", -1).length, late);
        assertThat(run.schedule.departures().get(1).toString())
                .startsWith("#2 timer of a callback due at 0.001 s (created at ")
                .contains(" fired ahead of timer of a callback due at 0.001 s (created at ")
                .endsWith(", due at the same instant")
                .doesNotContain(" late")
                .doesNotContain(" and ");
    }

    @Test
    void onlyTheEnabledDecisionsDepart() {
        Run lateOnly = runTimers(schedule(Strategy.UNIFORM, UNIFORM_SEED, Set.of(0)), -1);
        assertEquals(
                List.of("timer 1 at 1000000", "timer 2 at 1000000", "timer 3 at 3000000", "timer 0 at 4665000"),
                lateOnly.fired);
        assertThat(lateOnly.traces())
                .containsExactly(
                        "#0 late=3665us ahead=false",
                        "#2 late=0us ahead=false",
                        "#4 late=0us ahead=false",
                        "#6 late=0us ahead=false");

        Run aheadOnly = runTimers(schedule(Strategy.UNIFORM, UNIFORM_SEED, Set.of(2)), -1);
        assertEquals(
                List.of("timer 1 at 1000000", "timer 0 at 1000000", "timer 2 at 1000000", "timer 3 at 3000000"),
                aheadOnly.fired);
        assertThat(aheadOnly.schedule.departures())
                .extracting(ExploredSchedule.Decision::index)
                .containsExactly(2);
        assertThat(aheadOnly.schedule.departures().get(0).toString())
                .contains(" fired ahead of timer of a callback due at 0.001 s");
        assertThat(aheadOnly.schedule.decisions().get(0).toString())
                .as("a timer on time is not overtaken, even by one that went ahead of it")
                .doesNotContain(" after ")
                .doesNotContain(" fired ");

        Run none = runTimers(schedule(Strategy.UNIFORM, UNIFORM_SEED, Set.of()), -1);
        assertEquals(
                List.of("timer 0 at 1000000", "timer 1 at 1000000", "timer 2 at 1000000", "timer 3 at 3000000"),
                none.fired);
        assertThat(none.schedule.departures()).isEmpty();
    }

    @Test
    void aCancelledTimerIsNeitherOvertakenNorGoneAheadOf() {
        Run cancelledLate = runTimers(schedule(Strategy.UNIFORM, UNIFORM_SEED, null), 0);
        assertEquals(List.of("timer 1 at 1000000", "timer 2 at 1000000", "timer 3 at 3000000"), cancelledLate.fired);
        // the late timer still departed (its decision was taken), but nothing fired after it
        assertThat(cancelledLate.schedule.departures())
                .extracting(ExploredSchedule.Decision::index)
                .containsExactly(0);
        assertThat(cancelledLate.schedule.departures().get(0).toString())
                .endsWith(" fired 3.665 ms late")
                .doesNotContain("after");

        Run cancelledTie = runTimers(schedule(Strategy.UNIFORM, UNIFORM_SEED, Set.of(2)), 0);
        assertEquals(List.of("timer 1 at 1000000", "timer 2 at 1000000", "timer 3 at 3000000"), cancelledTie.fired);
        assertThat(cancelledTie.schedule.departures())
                .as("went ahead of a cancelled timer only")
                .isEmpty();
    }

    @Test
    void aRecordedPctSeedPerturbsItsPointsOnly() {
        // seed 858: PCT points #2 (timer 1), #3 (the second work from another thread) and #88
        SeededSchedule schedule = schedule(Strategy.PCT, 858, null);
        Run run = runTimers(schedule, -1);
        assertThat(run.traces())
                .containsExactly(
                        "#0 late=0us ahead=false",
                        "#2 late=2155us ahead=true",
                        "#4 late=0us ahead=false",
                        "#6 late=0us ahead=false");
        assertEquals(
                List.of("timer 0 at 1000000", "timer 2 at 1000000", "timer 3 at 3000000", "timer 1 at 3155000"),
                run.fired);
        assertEquals("SeededSchedule[PCT, seed 0x35a]", schedule.toString());

        HeldRun held = runHeldWork(SeededSchedule.of(Strategy.PCT, 858, JITTER, null));
        assertThat(held.traces()).containsExactly("#1 held=0", "#3 held=1", "#5 held=0", "#7 held=0");
        // posted at ticks 1 to 4, each running one tick later unless held: the third waits behind the second; the
        // fourth arrives when nothing is held any more
        assertEquals(List.of(2, 4, 4, 5), held.ranAtTick);
    }

    @Test
    void aLateTimerIsOvertakenOnlyByTimersDueAfterIt() {
        // seed 22: timer 1 fires 1.673 ms late; timer 0, due at the same instant but scheduled before it, did not
        // overtake it, timer 2 (scheduled after it) did, and timer 3 (due at 3 ms) fired after it
        Run run = runTimers(schedule(Strategy.UNIFORM, 22, null), -1);
        assertThat(run.traces()).startsWith("#0 late=0us ahead=false", "#2 late=1673us ahead=true");
        assertEquals(
                List.of("timer 0 at 1000000", "timer 2 at 1000000", "timer 1 at 2673000", "timer 3 at 3000000"),
                run.fired);
        assertThat(run.schedule.departures())
                .extracting(ExploredSchedule.Decision::index)
                .containsExactly(2);
        String late = run.schedule.departures().get(0).toString();
        assertThat(late).contains(" fired 1.673 ms late, after timer of a callback due at 0.001 s (created at ");
        assertThat(late).as("overtaken by one timer").doesNotContain(" and ").doesNotContain("ahead");
    }

    @Test
    void aPctPointOnATimerMayKeepItsPlaceAmongTies() {
        // seed 48: PCT points #2, #83 and #86 (a fourth draw would give #6); timer 1 is late but not ahead
        Run run = runTimers(schedule(Strategy.PCT, 48, null), -1);
        assertThat(run.traces())
                .containsExactly(
                        "#0 late=0us ahead=false",
                        "#2 late=1665us ahead=false",
                        "#4 late=0us ahead=false",
                        "#6 late=0us ahead=false");
        assertEquals(
                List.of("timer 0 at 1000000", "timer 2 at 1000000", "timer 1 at 2665000", "timer 3 at 3000000"),
                run.fired);
    }

    @Test
    void aPctPointOnWorkFromAnotherThreadHoldsItOneToThreeIterations() {
        // seed 855: PCT points #4, #7 and #59; #7 is the fourth piece of work, held 2 iterations
        HeldRun run = runHeldWork(schedule(Strategy.PCT, 855, null));
        assertThat(run.traces()).containsExactly("#1 held=0", "#3 held=0", "#5 held=0", "#7 held=2");
        assertEquals(List.of(2, 3, 4, 7), run.ranAtTick);
    }

    @Test
    void heldWorkArrivesTheRecordedNumberOfIterationsLateInItsOrder() {
        HeldRun run = runHeldWork(schedule(Strategy.UNIFORM, UNIFORM_SEED, null));
        assertThat(run.traces()).containsExactly("#1 held=2", "#3 held=2", "#5 held=1", "#7 held=2");
        // posted at ticks 1 to 4, each 2, 2, 1 and 2 iterations late: 1 + 1 + 2 = 4, 2 + 1 + 2 = 5, 3 + 1 + 1 = 5,
        // 4 + 1 + 2 = 7
        assertEquals(List.of(4, 5, 5, 7), run.ranAtTick);
        assertThat(run.schedule.departures().get(2).toString())
                .startsWith("#5 work from another thread (")
                .endsWith(" arrived 1 loop iteration late");
        assertThat(run.schedule.departures().get(3).toString()).endsWith(" arrived 2 loop iterations late");
    }

    @Test
    void workNotHeldWaitsBehindWorkHeldBeforeIt() {
        // seed 456 holds 0, 3, 0 and 1 iterations: the first runs at once, the third and fourth wait for the second
        HeldRun run = runHeldWork(schedule(Strategy.UNIFORM, 456, null));
        assertThat(run.traces()).containsExactly("#1 held=0", "#3 held=3", "#5 held=0", "#7 held=1");
        assertEquals(List.of(2, 6, 6, 6), run.ranAtTick);
        assertThat(run.schedule.departures())
                .extracting(ExploredSchedule.Decision::index)
                .containsExactly(3, 7);
    }

    @Test
    void aTimerOfATaskIsNamedAfterTheTask() {
        SeededSchedule schedule = schedule(Strategy.UNIFORM, UNIFORM_SEED, null);
        DefaultEventLoop loop = new DefaultEventLoop(new VirtualClock());
        schedule.installOn(loop);
        try {
            loop.runUntilComplete(loop.createTask("sleeper", () -> {
                Async.sleep(Duration.ofMillis(2));
                return null;
            }));
        } finally {
            loop.close();
        }
        assertThat(schedule.decisions().get(0).trace())
                .startsWith("#0 late=3665us ahead=false: timer of task 'sleeper' due at 0.002 s (created at ");
    }

    @Test
    void aJitterOfOneMicrosecondMakesEveryLateTimerOneMicrosecondLate() {
        for (Duration jitter : List.of(Duration.ofNanos(1000), Duration.ofNanos(1999))) {
            Run run = runTimers(SeededSchedule.of(Strategy.UNIFORM, UNIFORM_SEED, jitter, null), -1);
            assertThat(run.traces()).as("jitter " + jitter).first().isEqualTo("#0 late=1us ahead=false");
            assertThat(run.fired).as("jitter " + jitter).contains("timer 0 at 1001000");
        }
        assertThatThrownBy(() -> SeededSchedule.of(Strategy.UNIFORM, 1, Duration.ofNanos(999), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jitter must be at least 1 microsecond, was PT0.000000999S");
    }

    private static SeededSchedule schedule(Strategy strategy, long seed, Set<Integer> enabled) {
        return SeededSchedule.of(strategy, seed, JITTER, enabled);
    }

    /**
     * The timers of {@link #DUE_MILLIS}, run until each has fired; the one numbered {@code cancel} is cancelled
     * first. The last to fire stops the loop, so that no other timer takes a decision.
     */
    private static Run runTimers(SeededSchedule schedule, int cancel) {
        DefaultEventLoop loop = new DefaultEventLoop(new VirtualClock());
        schedule.installOn(loop);
        List<String> fired = new ArrayList<>();
        List<TimerHandle> timers = new ArrayList<>();
        int toFire = cancel >= 0 ? DUE_MILLIS.length - 1 : DUE_MILLIS.length;
        for (int i = 0; i < DUE_MILLIS.length; i++) {
            int n = i;
            timers.add(loop.callLater(Duration.ofMillis(DUE_MILLIS[i]), () -> {
                fired.add("timer " + n + " at " + loop.time());
                if (fired.size() == toFire) {
                    loop.stop();
                }
            }));
        }
        if (cancel >= 0) {
            timers.get(cancel).cancel();
        }
        loop.runForever();
        loop.close();
        return new Run(schedule, fired);
    }

    /**
     * A callback counts loop iterations (ticks) by scheduling itself again; at ticks 1 to 4 it posts one piece of
     * work from another thread, joined before the tick ends, so each arrives at the next iteration. Each piece
     * records the tick it ran at.
     */
    private static HeldRun runHeldWork(SeededSchedule schedule) {
        DefaultEventLoop loop = new DefaultEventLoop(new VirtualClock());
        schedule.installOn(loop);
        List<Integer> ranAt = new ArrayList<>();
        int[] tick = new int[1];
        Runnable[] ticker = new Runnable[1];
        ticker[0] = () -> {
            tick[0]++;
            if (tick[0] <= 4) {
                Thread sender = new Thread(() -> loop.callSoonThreadsafe(() -> ranAt.add(tick[0])));
                sender.start();
                joinUninterruptibly(sender);
            }
            if (tick[0] < 12) {
                loop.callSoon(ticker[0]);
            } else {
                loop.stop();
            }
        };
        loop.callSoon(ticker[0]);
        loop.runForever();
        loop.close();
        return new HeldRun(schedule, ranAt);
    }

    private static void joinUninterruptibly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while a sender posted", e);
        }
    }

    private static List<String> valuesOf(SeededSchedule schedule) {
        return schedule.decisions().stream()
                .map(ExploredSchedule.Decision::trace)
                .map(trace -> trace.substring(0, trace.indexOf(':')))
                .collect(Collectors.toList());
    }

    private record Run(SeededSchedule schedule, List<String> fired) {
        List<String> traces() {
            return valuesOf(schedule);
        }
    }

    private record HeldRun(SeededSchedule schedule, List<Integer> ranAtTick) {
        List<String> traces() {
            return valuesOf(schedule);
        }
    }
}
