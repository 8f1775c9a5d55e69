package dev.loopharness.junit.internal;

import dev.loopharness.junit.ExploreSchedules;
import dev.loopharness.spi.ExploredSchedule;
import java.util.List;
import java.util.stream.Collectors;

/** The user-facing messages of schedule exploration, in one place, as {@link Messages} has the extension's. */
final class ExploreMessages {

    /** The most departures a report lists; the rest are counted. */
    static final int MAX_LISTED = 20;

    private ExploreMessages() {}

    static String displayName(ExploredRun run) {
        String seed = "seed " + ExplorationPlan.hex(run.seed);
        switch (run.kind) {
            case RUN:
                return "run " + run.number + " (" + seed + ")";
            case SHRINK:
                return "shrink " + run.number + " (" + seed + ", " + decisions(run) + ")";
            default:
                return "run shrunk (" + seed + ", " + decisions(run) + ")";
        }
    }

    private static String decisions(ExploredRun run) {
        return run.enabled.isEmpty()
                ? "no perturbation"
                : "perturbing only "
                        + run.enabled.stream().sorted().map(i -> "#" + i).collect(Collectors.joining(", "));
    }

    static String runFailed(
            ExploredRun run, ExplorationPlan plan, List<ExploredSchedule.Decision> departures, Throwable failure) {
        StringBuilder text = new StringBuilder()
                .append("Run ")
                .append(run.number)
                .append(" of ")
                .append(plan.runs())
                .append(" of an explored schedule failed (")
                .append(strategyAndSeed(plan, run.seed))
                .append("): ")
                .append(failure);
        text.append("\nReplay it: ").append(replay(plan, run.seed));
        listDepartures(text, departures, "It departed from the unperturbed schedule");
        if (plan.shrink() && !plan.keepGoing() && !departures.isEmpty()) {
            text.append("\nShrinking follows: the invocations named \"shrink N\" replay this seed with fewer of these"
                    + " decisions, and \"run shrunk\" reports the smallest set that still fails.");
        }
        if (plan.onClass() && !plan.keepGoing() && !departures.isEmpty()) {
            text.append("\nTo shrink it, replay the seed on the failing method alone: move @ExploreSchedules(seed = ")
                    .append(ExplorationPlan.hex(run.seed))
                    .append("L, runs = 1) from the class to the method (the class form does not shrink).");
        }
        return text.toString();
    }

    static String stillFails(ExploredRun run, List<ExploredSchedule.Decision> departures) {
        return "Shrinking: the failure remains with " + departures.size() + " departure"
                + (departures.size() == 1 ? "" : "s") + " (" + decisions(run) + "); smaller sets are tried next";
    }

    static String failedDifferently(
            ExploredRun run, ExplorationPlan plan, List<ExploredSchedule.Decision> departures, Throwable failure) {
        StringBuilder text = new StringBuilder("While shrinking ")
                .append(strategyAndSeed(plan, run.seed))
                .append(", ")
                .append(decisions(run))
                .append(", the test failed differently: ")
                .append(failure);
        listDepartures(text, departures, "This attempt departed from the unperturbed schedule");
        return text.toString();
    }

    static String smallest(
            ExploredRun run, Exploration exploration, List<ExploredSchedule.Decision> departures, Throwable failure) {
        ExplorationPlan plan = exploration.plan();
        int before = exploration.firstDepartures().size();
        StringBuilder text = new StringBuilder()
                .append("Run ")
                .append(exploration.firstFailure().number)
                .append(" (")
                .append(strategyAndSeed(plan, run.seed))
                .append(") still fails with ")
                .append(departures.size())
                .append(" of its ")
                .append(before)
                .append(" departure")
                .append(before == 1 ? "" : "s")
                .append(" from the unperturbed schedule, after ")
                .append(exploration.shrinkAttempts())
                .append(" shrinking attempt")
                .append(exploration.shrinkAttempts() == 1 ? "" : "s")
                .append(": ")
                .append(failure);
        listDepartures(text, departures, "The decisions that matter");
        text.append("\nReplay the whole run: ").append(replay(plan, run.seed));
        return text.toString();
    }

    static String summary(ExplorationPlan plan, int runs, List<Long> failedSeeds) {
        return failedSeeds.size() + " of " + runs + " explored runs failed ("
                + plan.strategy() + ")"
                + (failedSeeds.isEmpty()
                        ? ""
                        : "; seeds: "
                                + failedSeeds.stream().map(ExplorationPlan::hex).collect(Collectors.joining(", ")));
    }

    static String needs(String test, String attribute, String value, String needed) {
        return "@ExploreSchedules on " + test + " needs @WithEventLoop(" + attribute + " = " + needed + "), but its "
                + attribute + " is " + value + ": schedules are explored on a fresh loop per run, in virtual time";
    }

    static String onClassAndMethod(String testClass, String method) {
        return "@ExploreSchedules is on the class " + testClass + " and on its method " + method
                + ": the class form already explores every test of the class; remove it from the method, or from the"
                + " class to explore the method alone";
    }

    private static String strategyAndSeed(ExplorationPlan plan, long seed) {
        return "strategy " + plan.strategy() + ", seed " + ExplorationPlan.hex(seed);
    }

    private static String replay(ExplorationPlan plan, long seed) {
        StringBuilder annotation = new StringBuilder("@ExploreSchedules(seed = ")
                .append(ExplorationPlan.hex(seed))
                .append("L, runs = 1");
        if (plan.strategy() != ExploreSchedules.Strategy.UNIFORM) {
            annotation.append(", strategy = ").append(plan.strategy());
        }
        if (!plan.jitter().equals(Settings.parseTimeout("jitter", ExplorationPlan.DEFAULT_JITTER))) {
            annotation
                    .append(", jitter = \"")
                    .append(plan.jitter().toNanos() / 1000)
                    .append("us\"");
        }
        return annotation
                .append(plan.onClass() ? ") on the class" : ")")
                .append(" or -D")
                .append(ExplorationPlan.SEED)
                .append('=')
                .append(ExplorationPlan.hex(seed))
                .toString();
    }

    private static void listDepartures(StringBuilder text, List<ExploredSchedule.Decision> departures, String heading) {
        if (departures.isEmpty()) {
            text.append("\nIt did not depart from the unperturbed schedule: the failure does not depend on it.");
            return;
        }
        text.append('\n')
                .append(heading)
                .append(" in ")
                .append(departures.size())
                .append(" decision")
                .append(departures.size() == 1 ? "" : "s")
                .append(':');
        departures.stream().limit(MAX_LISTED).forEach(d -> text.append("\n  ").append(d));
        if (departures.size() > MAX_LISTED) {
            text.append("\n  ... and ").append(departures.size() - MAX_LISTED).append(" more");
        }
    }
}
