package dev.loopharness.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.loopharness.TimerHandle;
import dev.loopharness.VirtualClock;
import dev.loopharness.spi.ExploredSchedule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The seeded schedule perturbs what real time varies and keeps what asyncio guarantees. */
class SeededScheduleTest {

    private static final Duration JITTER = Duration.ofMillis(5);

    private static SeededSchedule uniform(long seed) {
        return SeededSchedule.of(ExploredSchedule.Strategy.UNIFORM, seed, JITTER, null);
    }

    @Test
    void aLateTimerFiresWithinTheJitterAndStillReportsItsDeadline() {
        int late = 0;
        for (long seed = 1; seed <= 50; seed++) {
            DefaultEventLoop loop = new DefaultEventLoop(new VirtualClock());
            SeededSchedule schedule = uniform(seed);
            schedule.installOn(loop);
            long[] firedAt = new long[1];
            TimerHandle timer = loop.callLater(Duration.ofMillis(10), () -> {
                firedAt[0] = loop.time();
                loop.stop();
            });
            loop.runForever();
            loop.close();
            assertEquals(Duration.ofMillis(10).toNanos(), timer.when(), "when() is the deadline asked for");
            long lateness = firedAt[0] - timer.when();
            assertThat(lateness).isBetween(0L, JITTER.toNanos());
            assertThat(schedule.decisions().get(0).trace()).startsWith("#0 late=" + lateness / 1000 + "us ");
            late += lateness > 0 ? 1 : 0;
        }
        assertThat(late).as("seeds out of 50 with a late timer").isBetween(10, 40);
    }

    @Test
    void callbacksScheduledWithCallSoonStayFirstInFirstOut() {
        for (long seed = 1; seed <= 50; seed++) {
            DefaultEventLoop loop = new DefaultEventLoop(new VirtualClock());
            uniform(seed).installOn(loop);
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                loop.callLater(Duration.ofMillis(1), () -> {
                    for (int k = 0; k < 4; k++) {
                        int item = n * 4 + k;
                        loop.callSoon(() -> order.add(item));
                    }
                });
            }
            loop.callLater(Duration.ofMillis(100), loop::stop);
            loop.runForever();
            loop.close();
            for (int n = 0; n < 5; n++) {
                int first = n * 4;
                List<Integer> ofOneTimer =
                        order.stream().filter(i -> i >= first && i < first + 4).collect(Collectors.toList());
                assertEquals(List.of(first, first + 1, first + 2, first + 3), ofOneTimer, "seed " + seed);
            }
        }
    }

    @Test
    void workFromOtherThreadsIsHeldBackButKeepsItsOrder() throws InterruptedException {
        int held = 0;
        for (long seed = 1; seed <= 30; seed++) {
            DefaultEventLoop loop = new DefaultEventLoop(new VirtualClock());
            SeededSchedule schedule = uniform(seed);
            schedule.installOn(loop);
            List<Integer> order = new ArrayList<>();
            Thread sender = new Thread(() -> {
                for (int i = 0; i < 10; i++) {
                    int n = i;
                    loop.callSoonThreadsafe(() -> order.add(n));
                }
                loop.callSoonThreadsafe(loop::stop);
            });
            sender.start();
            sender.join();
            loop.runForever();
            loop.close();
            assertEquals(IntStream.range(0, 10).boxed().collect(Collectors.toList()), order, "seed " + seed);
            held += schedule.departures().isEmpty() ? 0 : 1;
        }
        assertThat(held).as("seeds out of 30 that held work back").isGreaterThan(10);
    }

    @Test
    void closingDropsWhatIsHeldAndCountsIt() throws InterruptedException {
        for (long seed = 1; seed <= 20; seed++) {
            DefaultEventLoop loop = new DefaultEventLoop(new VirtualClock());
            uniform(seed).installOn(loop);
            int[] ran = new int[1];
            Thread sender = new Thread(() -> {
                for (int i = 0; i < 5; i++) {
                    loop.callSoonThreadsafe(() -> ran[0]++);
                }
            });
            sender.start();
            sender.join();
            loop.stop();
            loop.runForever(); // one iteration: what is held stays held
            loop.close();
            DroppedWork dropped = loop.droppedAtClose();
            assertEquals(5, ran[0] + dropped.callbacks + dropped.fromOtherThreads, "seed " + seed);
        }
    }

    @Test
    void theSameSeedTakesTheSameDecisionsAndNoneWhenNoneIsEnabled() {
        assertEquals(traces(uniform(42)), traces(uniform(42)));
        SeededSchedule none = SeededSchedule.of(ExploredSchedule.Strategy.UNIFORM, 42, JITTER, Set.of());
        List<String> unperturbed = traces(none);
        assertThat(unperturbed).hasSize(4).allSatisfy(trace -> assertThat(trace).contains(" late=0us ahead=false"));
        assertThat(none.departures()).isEmpty();
    }

    @Test
    void pctPerturbsOnlyAFewDecisions() {
        for (long seed = 1; seed <= 20; seed++) {
            SeededSchedule pct = SeededSchedule.of(ExploredSchedule.Strategy.PCT, seed, JITTER, null);
            traces(pct);
            assertThat(pct.decisions().stream().filter(d -> !d.trace().contains("late=0us ahead=false")))
                    .hasSizeLessThanOrEqualTo(SeededSchedule.PCT_POINTS);
        }
    }

    @Test
    void aJitterUnderAMicrosecondIsRefused() {
        assertThatThrownBy(() -> SeededSchedule.of(ExploredSchedule.Strategy.UNIFORM, 1, Duration.ofNanos(10), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jitter must be at least 1 microsecond, was PT0.00000001S");
    }

    /** Four timers due at the same instant, run to the end. */
    private static List<String> traces(SeededSchedule schedule) {
        DefaultEventLoop loop = new DefaultEventLoop(new VirtualClock());
        schedule.installOn(loop);
        for (int i = 0; i < 3; i++) {
            loop.callLater(Duration.ofMillis(1), () -> {});
        }
        loop.callLater(Duration.ofMillis(1), loop::stop);
        loop.runForever();
        loop.close();
        return schedule.decisions().stream()
                .map(ExploredSchedule.Decision::trace)
                .collect(Collectors.toList());
    }
}
