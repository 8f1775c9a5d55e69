package dev.loopharness.junit;

import dev.loopharness.junit.internal.ScheduleExplorer;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test under many schedules, to find the bugs that depend on the order in which timers and answers from
 * other threads arrive: virtual time fires every timer exactly on time, production does not. Put it on a test
 * method instead of {@code @Test}, under {@code @WithEventLoop(clock = VIRTUAL)} with the default scope
 * {@code TEST}, or on a test class (below). The method runs {@link #runs()} times, each run a JUnit invocation of its own named by its number
 * and seed, on a fresh loop whose scheduling decisions come from that seed.
 *
 * <p>Only what real time would vary is perturbed: a timer fires late by up to {@link #jitter()} of loop time, or
 * ahead of timers due at the same instant; work from other threads ({@code runInExecutor}, {@code wrapFuture},
 * {@code callSoonThreadsafe}) arrives up to three loop iterations late, in the order it was sent. Callbacks
 * scheduled with {@code callSoon} stay first-in first-out and a task's own steps stay in order, as asyncio
 * guarantees. Delayed mock answers ({@code LoopAnswers.completeAfter} and the like) are timers, so they move too.
 *
 * <p>A failing run says which run and seed failed, how to replay it ({@code @ExploreSchedules(seed = ..., runs =
 * 1)} or {@code -Dloopharness.seed=...}), and in which decisions its schedule departed from the unperturbed one.
 * Then, unless {@link #shrink()} is off, the failing seed is replayed with fewer of those decisions (delta
 * debugging: invocations named {@code shrink N}, aborted while the failure remains) and a last invocation fails
 * with the smallest set that still fails. Exploration stops at the first failure unless {@link #keepGoing()}.
 *
 * <p>On a test class (JUnit's {@code @ClassTemplate}), the whole class runs once per run, each class invocation
 * named by its number and seed as the method form names its runs, and every test of that invocation gets a fresh
 * loop with that run's schedule; its test methods are ordinary {@code @Test} methods, under
 * {@code @WithEventLoop(clock = VIRTUAL)} with scope {@code TEST}. A test's decisions depend only on the seed,
 * not on the other tests of the class, so each failing test of a failing invocation reports its own departures
 * and the same replay: {@code @ExploreSchedules(seed = ..., runs = 1)} on the class, or {@code
 * -Dloopharness.seed=...}. The class form does not shrink ({@link #shrink()} is ignored there): shrinking reruns
 * the failing schedule up to a hundred times, and every rerun of a class would run all of its tests again, each
 * able to fail in its own way; the report says instead to replay the seed on the failing method alone, where the
 * method form shrinks it with the same decisions. {@link #keepGoing()} works as on a method, counting failed
 * class invocations. A class that has it may not also have it on one of its methods: that is refused, as the
 * method's runs would multiply the class's.
 *
 * <p>Configuration parameters: {@code loopharness.explore.runs} sets the number of runs where {@link #runs()} is
 * left at 0; {@code loopharness.seed} replays one seed in every explored test of the run. Runs are decided one
 * after another: run explored tests in the same thread ({@code @Execution(SAME_THREAD)} under parallel
 * execution), or the run after a failure may start before the failure is known.
 *
 * @since 0.1.0
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@TestTemplate
@ClassTemplate
@ExtendWith(ScheduleExplorer.class)
public @interface ExploreSchedules {

    /**
     * How many runs: 0 takes the configuration parameter {@code loopharness.explore.runs}, else 100, or 1 when a
     * seed is given.
     *
     * @return the number of runs, 0 or more
     */
    int runs() default 0;

    /**
     * A seed to replay in every run, as a failure report gives it; 0 draws a seed per run, from the test's unique
     * id and the run's number, so that a build explores the same schedules each time.
     *
     * @return the seed, or 0 for none
     */
    long seed() default 0;

    /**
     * How the decisions are drawn; part of what a seed replays.
     *
     * @return the strategy
     */
    Strategy strategy() default Strategy.UNIFORM;

    /**
     * The most a timer fires late, in loop time: {@code "5ms"}, {@code "1s"}, or ISO-8601 {@code "PT0.005S"}; at
     * least a microsecond. Part of what a seed replays.
     *
     * @return the jitter
     */
    String jitter() default "5ms";

    /**
     * Whether to go on after a failing run and count the failures (published as a report entry at the end)
     * instead of stopping and shrinking.
     *
     * @return {@code true} to keep going
     */
    boolean keepGoing() default false;

    /**
     * Whether to shrink the first failing run to the smallest set of decisions that still fails. Ignored on a
     * class, whose form does not shrink.
     *
     * @return {@code true} to shrink
     */
    boolean shrink() default true;

    /**
     * How an explored schedule draws its decisions.
     *
     * @since 0.1.0
     */
    enum Strategy {
        /** Every decision at random: a timer is late half of the time, by up to the jitter. */
        UNIFORM,
        /**
         * As PCT does with thread priorities: nothing is perturbed except at three decisions drawn from the first
         * fifty timers and the first fifty answers from other threads. A bug that needs one given decision
         * perturbed is found in a run with a probability of about 3/50 times that of the value it needs, however
         * many other decisions the test makes.
         */
        PCT
    }
}
