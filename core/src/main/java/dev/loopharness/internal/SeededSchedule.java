package dev.loopharness.internal;

import dev.loopharness.spi.ExploredSchedule;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A schedule explored from a seed: every decision is a pure function of the seed, the strategy and the decision's
 * number, so a seed replays the same decisions on any machine, and dropping some of them (shrinking) leaves the
 * others as they were. Perturbs only what real time would vary: timers fire late by up to the jitter, or ahead of
 * timers due at the same instant (asyncio promises no order for those), and work from other threads arrives a few
 * loop iterations late, keeping its own first-in first-out order. Confined to the loop's thread.
 *
 * @since 0.1.0
 */
public final class SeededSchedule implements SchedulePerturbation, ExploredSchedule {

    /** How many decisions the PCT strategy perturbs in a run. */
    public static final int PCT_POINTS = 3;

    /** Among how many decisions of each kind the PCT strategy picks its points. */
    public static final int PCT_HORIZON = 50;

    /** The most loop iterations that work from another thread is held back. */
    public static final int MAX_HELD_ITERATIONS = 3;

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final Strategy strategy;
    private final long seed;
    private final long jitterMicros;
    private final Set<Integer> enabled;
    private final Set<Integer> points;
    private final List<ScheduleDecision> decisions = new ArrayList<>();
    private final Map<TimerHandleImpl, ScheduleDecision> pendingTimers = new LinkedHashMap<>();
    private final List<TimerHandleImpl> lateTimers = new ArrayList<>();
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private int timerCount;
    private int answerCount;
    private long iteration;
    private long lastRelease;

    private SeededSchedule(Strategy strategy, long seed, long jitterMicros, Set<Integer> enabled) {
        this.strategy = strategy;
        this.seed = seed;
        this.jitterMicros = jitterMicros;
        this.enabled = enabled == null ? null : Set.copyOf(enabled);
        this.points = strategy == Strategy.PCT ? pctPoints(seed) : Set.of();
    }

    /**
     * A schedule for one run.
     *
     * @param strategy how decisions are drawn; must not be {@code null}
     * @param seed the run's seed
     * @param jitter the most a timer fires late; at least one microsecond
     * @param enabled the numbers of the decisions allowed to depart from the unperturbed schedule, or {@code null}
     *     for all: shrinking replays a seed with fewer
     * @return the schedule
     * @throws IllegalArgumentException if the jitter is under a microsecond
     */
    public static SeededSchedule of(Strategy strategy, long seed, Duration jitter, Set<Integer> enabled) {
        Arguments.notNull(strategy, "strategy");
        long micros = Arguments.notNull(jitter, "jitter").toNanos() / 1000;
        if (micros < 1) {
            throw new IllegalArgumentException("jitter must be at least 1 microsecond, was " + jitter);
        }
        return new SeededSchedule(strategy, seed, micros, enabled);
    }

    /**
     * Makes a loop consult this schedule; call it before the loop runs.
     *
     * @param loop the loop; must not be {@code null}
     */
    public void installOn(DefaultEventLoop loop) {
        Arguments.notNull(loop, "loop").perturbWith(this);
    }

    /**
     * Every decision taken so far, in the order taken.
     *
     * @return a snapshot
     */
    @Override
    public List<Decision> decisions() {
        return List.copyOf(decisions);
    }

    /**
     * The decisions in which the schedule departed from the unperturbed one, in the order taken.
     *
     * @return a snapshot
     */
    @Override
    public List<Decision> departures() {
        return List.copyOf(decisions.stream().filter(ScheduleDecision::departed).collect(Collectors.toList()));
    }

    // ---- timers ----------------------------------------------------------------------------------------------

    @Override
    public TimerHandleImpl timer(
            DefaultEventLoop loop, Runnable callback, StackTraceElement createdAt, long deadline, long sequence) {
        int index = 2 * timerCount++;
        long bits = bits(index);
        long late = 0;
        boolean ahead = false;
        if (perturbs(index)) {
            boolean forced = strategy == Strategy.PCT;
            if (forced || (bits & 1) != 0) {
                late = (1 + Long.remainderUnsigned(bits >>> 8, jitterMicros)) * 1000;
            }
            ahead = forced ? ((bits >>> 2) & 1) == 0 : ((bits >>> 2) & 3) == 0;
        }
        ScheduleDecision decision =
                ScheduleDecision.timer(index, timerSubject(loop, createdAt, deadline), late, ahead, deadline, sequence);
        decisions.add(decision);
        TimerHandleImpl timer = new TimerHandleImpl(
                loop,
                callback,
                createdAt,
                deadline,
                Arguments.saturatedAdd(deadline, late),
                ahead ? Long.MIN_VALUE + sequence : sequence);
        pendingTimers.put(timer, decision);
        if (late > 0) {
            lateTimers.add(timer);
        }
        return timer;
    }

    /**
     * Notes what the fired timer overtook: the late timers it would have followed, and, if it went ahead, the
     * timers due at the same instant that were scheduled before it.
     */
    @Override
    public void timerFired(TimerHandleImpl timer) {
        ScheduleDecision fired = pendingTimers.remove(timer);
        if (fired == null) {
            return;
        }
        for (Iterator<TimerHandleImpl> it = lateTimers.iterator(); it.hasNext(); ) {
            TimerHandleImpl late = it.next();
            ScheduleDecision waiting = pendingTimers.get(late);
            if (waiting == null || late.isCancelled()) {
                it.remove();
            } else if (naturallyBefore(waiting, fired)) {
                waiting.overtakenBy(fired);
            }
        }
        if (fired.ahead()) {
            pendingTimers.forEach((other, decision) -> {
                if (!other.isCancelled() && decision.deadline == fired.deadline && decision.sequence < fired.sequence) {
                    fired.wentAheadOf(decision);
                }
            });
        }
    }

    private static boolean naturallyBefore(ScheduleDecision a, ScheduleDecision b) {
        return a.deadline < b.deadline || (a.deadline == b.deadline && a.sequence < b.sequence);
    }

    /**
     * Says what a timer is, when a report asks: who created it, when it is due and where it was created. The
     * creating task's name is taken now, the text made later; without a creation site (debug mode off), the site
     * is looked for now, which costs a stack walk per timer.
     */
    private static Supplier<String> timerSubject(DefaultEventLoop loop, StackTraceElement createdAt, long deadline) {
        TaskImpl<?> task = TaskImpl.current();
        String owner = task != null && task.loop == loop ? task.getName() : null;
        StackTraceElement site =
                createdAt != null ? createdAt : CallSites.caller().orElse(null);
        return () -> "timer of " + (owner != null ? "task '" + owner + "'" : "a callback") + " due at "
                + Durations.seconds(deadline) + " s"
                + (site == null ? "" : " (created at " + StackFrames.format(site) + ")");
    }

    // ---- work from other threads -----------------------------------------------------------------------------

    @Override
    public boolean holdBack(ReadyHandle handle) {
        int index = 2 * answerCount++ + 1;
        int hold = 0;
        if (perturbs(index)) {
            long bits = bits(index) >>> 8;
            hold = strategy == Strategy.PCT
                    ? 1 + (int) Long.remainderUnsigned(bits, MAX_HELD_ITERATIONS)
                    : (int) Long.remainderUnsigned(bits, MAX_HELD_ITERATIONS + 1);
        }
        Runnable target = handle.callback();
        decisions.add(ScheduleDecision.answer(
                index, () -> "work from another thread (" + handle.describe(target) + ")", hold));
        if (hold == 0 && held.isEmpty()) {
            return false;
        }
        // behind what is held already, whatever its own delay: work from other threads keeps its order
        lastRelease = Math.max(lastRelease, iteration + hold);
        held.add(new Held(handle, lastRelease));
        return true;
    }

    @Override
    public void release(ArrayDeque<ReadyHandle> ready, boolean all) {
        iteration++;
        while (!held.isEmpty() && (all || held.peek().releaseAt < iteration)) {
            ready.add(held.poll().handle);
        }
    }

    @Override
    public boolean holding() {
        return !held.isEmpty();
    }

    private record Held(ReadyHandle handle, long releaseAt) {}

    // ---- drawing -----------------------------------------------------------------------------------------------

    private boolean perturbs(int index) {
        return (enabled == null || enabled.contains(index)) && (strategy == Strategy.UNIFORM || points.contains(index));
    }

    private long bits(int index) {
        return mix(seed + (index + 1L) * GOLDEN);
    }

    private static Set<Integer> pctPoints(long seed) {
        Set<Integer> chosen = new java.util.HashSet<>();
        for (int i = 0; i < PCT_POINTS; i++) {
            long bits = mix(~seed + (i + 1L) * GOLDEN);
            int kind = (int) (bits & 1);
            chosen.add(2 * (int) Long.remainderUnsigned(bits >>> 1, PCT_HORIZON) + kind);
        }
        return chosen;
    }

    /**
     * SplitMix64's finalizer: every bit of the input spreads over the output. Seeds of runs are drawn with it too.
     *
     * @param z the input
     * @return the mixed bits
     */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public String toString() {
        return "SeededSchedule[" + strategy + ", seed 0x" + Long.toHexString(seed) + "]";
    }
}
