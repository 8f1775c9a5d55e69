package dev.loopharness.spi;

import dev.loopharness.internal.SeededSchedule;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A seeded perturbation of a loop's schedule, for exploring interleavings: timers fire late by up to a jitter,
 * or ahead of timers due at the same instant, and work from other threads arrives a few loop iterations late.
 * The same seed and test take the same decisions on every JVM, so a failing schedule can be replayed, and shrunk
 * by allowing fewer decisions to depart. For test harnesses; not for application code. The library alone
 * implements this interface; see the package's compatibility promise.
 *
 * <p>Threads: the schedule is consulted on the loop's thread while the loop runs; read its decisions after.
 *
 * @since 0.1.0
 */
public interface ExploredSchedule {

    /**
     * A schedule for one run, to give a loop with {@link OwnedLoop#explore(ExploredSchedule)}.
     *
     * @param strategy how decisions are drawn; must not be {@code null}
     * @param seed the run's seed
     * @param jitter the most a timer fires late; at least one microsecond
     * @param enabled the numbers ({@link Decision#index()}) of the decisions allowed to depart from the unperturbed
     *     schedule, or {@code null} for all
     * @return the schedule
     * @throws NullPointerException if {@code strategy} or {@code jitter} is {@code null}
     * @throws IllegalArgumentException if the jitter is under a microsecond
     */
    static ExploredSchedule seeded(Strategy strategy, long seed, Duration jitter, Set<Integer> enabled) {
        return SeededSchedule.of(strategy, seed, jitter, enabled);
    }

    /**
     * Mixes the bits of a number so that every input bit spreads over the output (SplitMix64's finalizer): how
     * seeds of runs are drawn from a base seed.
     *
     * @param z the input
     * @return the mixed bits
     */
    static long mixSeed(long z) {
        return SeededSchedule.mix(z);
    }

    /**
     * Every decision taken so far, in the order taken.
     *
     * @return a snapshot
     */
    List<Decision> decisions();

    /**
     * The decisions that departed from the unperturbed schedule, in the order taken.
     *
     * @return a snapshot
     */
    List<Decision> departures();

    /**
     * How the decisions are drawn.
     *
     * @since 0.1.0
     */
    enum Strategy {
        /** Every decision is drawn at random: a timer is late half of the time, by up to the jitter. */
        UNIFORM,
        /**
         * Nothing is perturbed but at three decisions drawn from the first fifty of each kind, as PCT changes
         * thread priorities at a few random steps.
         */
        PCT
    }

    /**
     * One decision of a schedule: how late a timer fired and whether it went ahead of timers due at the same
     * instant, or for how many loop iterations work from another thread was held back. Its {@code toString()}
     * says what it changed, for people.
     *
     * @since 0.1.0
     */
    interface Decision {
        /**
         * The decision's number in its run: timers take the even numbers in the order they were created, work
         * from other threads the odd ones in the order it arrived.
         *
         * @return the number, for shrinking
         */
        int index();

        /**
         * Whether the decision departed from the unperturbed schedule.
         *
         * @return {@code true} for a late timer, a timer that went ahead, or work held back
         */
        boolean departed();

        /**
         * The decision's values in one line, the same on every JVM for the same seed and test.
         *
         * @return for example {@code "#4 late=2500us ahead=false: timer of task 'refresh' due at 0.100 s"}
         */
        String trace();
    }
}
