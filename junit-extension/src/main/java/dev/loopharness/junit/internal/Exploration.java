package dev.loopharness.junit.internal;

import dev.loopharness.spi.ExploredSchedule;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The course of one explored test: its runs, then, after the first failure, the shrinking attempts and the replay
 * of the smallest failing set. Decides each invocation when JUnit asks for it, from how the previous one ended,
 * so the invocations must run one after another.
 */
final class Exploration implements Iterator<ExploredRun> {

    private enum Phase {
        EXPLORE,
        SHRINK,
        DONE
    }

    private final ExplorationPlan plan;
    private final ExtensionContext template;
    private Phase phase = Phase.EXPLORE;
    private int run;
    private ExploredRun last;
    private ExploredRun firstFailure;
    private List<ExploredSchedule.Decision> firstDepartures = List.of();
    private Shrinker shrinker;
    private final List<Long> failedSeeds = new ArrayList<>();
    private ExploredRun upcoming;

    Exploration(ExplorationPlan plan, ExtensionContext template) {
        this.plan = plan;
        this.template = template;
    }

    ExplorationPlan plan() {
        return plan;
    }

    /** Whether a shrinking attempt failed as the run it shrinks did: with an exception of the same class. */
    boolean sameFailure(Class<?> failure) {
        return firstFailure != null && failure == firstFailure.failure;
    }

    ExploredRun firstFailure() {
        return firstFailure;
    }

    List<ExploredSchedule.Decision> firstDepartures() {
        return firstDepartures;
    }

    int shrinkAttempts() {
        return shrinker == null ? 0 : shrinker.attempts();
    }

    /** Keeps the departures of a failing run, which shrinking works on. */
    void departures(ExploredRun failed, List<ExploredSchedule.Decision> departures) {
        if (failed.kind == ExploredRun.Kind.RUN && firstDepartures.isEmpty() && firstFailure == null) {
            firstDepartures = List.copyOf(departures);
        }
    }

    @Override
    public boolean hasNext() {
        if (upcoming == null) {
            upcoming = decide();
        }
        return upcoming != null;
    }

    @Override
    public ExploredRun next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the exploration is over");
        }
        ExploredRun next = upcoming;
        upcoming = null;
        last = next;
        return next;
    }

    private ExploredRun decide() {
        if (last != null) {
            learn(last);
        }
        switch (phase) {
            case EXPLORE:
                if (run < plan.runs()) {
                    run++;
                    return new ExploredRun(this, ExploredRun.Kind.RUN, run, plan.seedOf(run), null);
                }
                finish();
                return null;
            case SHRINK:
                List<Integer> attempt = shrinker.next();
                if (attempt != null) {
                    return shrinking(ExploredRun.Kind.SHRINK, shrinker.attempts() + 1, attempt);
                }
                phase = Phase.DONE;
                return shrinking(ExploredRun.Kind.SMALLEST, firstFailure.number, shrinker.smallest());
            default:
                return null;
        }
    }

    private ExploredRun shrinking(ExploredRun.Kind kind, int number, List<Integer> enabled) {
        return new ExploredRun(this, kind, number, firstFailure.seed, Set.copyOf(enabled));
    }

    /** Takes in how the invocation that ran last ended. */
    private void learn(ExploredRun ended) {
        boolean failed = ended.failure != null;
        if (ended.kind == ExploredRun.Kind.SHRINK) {
            shrinker.failed(sameFailure(ended.failure));
            return;
        }
        if (ended.kind != ExploredRun.Kind.RUN || !failed) {
            return;
        }
        failedSeeds.add(ended.seed);
        if (firstFailure == null) {
            firstFailure = ended;
        }
        if (plan.keepGoing()) {
            return;
        }
        List<Integer> departed =
                firstDepartures.stream().map(ExploredSchedule.Decision::index).toList();
        if (plan.shrink() && !departed.isEmpty()) {
            shrinker = new Shrinker(departed);
            phase = Phase.SHRINK;
        } else {
            phase = Phase.DONE;
        }
    }

    /** After the last run of an exploration that kept going: how many failed, published as a report entry. */
    private void finish() {
        phase = Phase.DONE;
        if (plan.keepGoing()) {
            template.publishReportEntry("loopharness.explore", ExploreMessages.summary(plan, run, failedSeeds));
        }
    }
}
