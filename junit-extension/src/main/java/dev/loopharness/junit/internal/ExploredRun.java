package dev.loopharness.junit.internal;

import dev.loopharness.junit.ExploredScheduleError;
import dev.loopharness.spi.ExploredSchedule;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.opentest4j.TestAbortedException;

/**
 * One invocation of an explored test: a run of the exploration, an attempt of the shrinking, or the replay of the
 * smallest failing set. Gives the test's loop its seeded schedule, turns the test's failure into a report of the
 * schedule, and tells the exploration how the run ended.
 */
final class ExploredRun
        implements TestTemplateInvocationContext,
                BeforeEachCallback,
                AfterEachCallback,
                TestExecutionExceptionHandler,
                TestWatcher {

    /** What the invocation is for. */
    enum Kind {
        RUN,
        SHRINK,
        SMALLEST
    }

    /** The key of the report entry that lists a replayed seed's decisions. */
    static final String DECISIONS_ENTRY = "loopharness.schedule";

    private final Exploration exploration;
    final Kind kind;
    final int number;
    final long seed;
    final Set<Integer> enabled;
    private ExploredSchedule schedule;

    /**
     * The class of the failure, once the run has failed (in the test, or after it, a leak say); {@code null} while
     * it has not, or passed.
     */
    volatile Class<?> failure;

    ExploredRun(Exploration exploration, Kind kind, int number, long seed, Set<Integer> enabled) {
        this.exploration = exploration;
        this.kind = kind;
        this.number = number;
        this.seed = seed;
        this.enabled = enabled;
    }

    /** Gives the loop of the test running in {@code owner} the schedule of its explored run, if it is one. */
    static void install(ExtensionContext owner, HarnessLoop harness) {
        Optional.ofNullable(Stores.of(owner).get(ExploredRun.class, ExploredRun.class))
                .ifPresent(run -> harness.explore(run.schedule));
    }

    @Override
    public String getDisplayName(int invocationIndex) {
        return ExploreMessages.displayName(this);
    }

    @Override
    public List<Extension> getAdditionalExtensions() {
        return List.of(this);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        schedule = ExploredSchedule.seeded(
                exploration.plan().coreStrategy(), seed, exploration.plan().jitter(), enabled);
        Stores.of(context).put(ExploredRun.class, this);
        if (exploration.plan().onClass()) {
            // a test of an explored class may set its own @WithEventLoop; checked after the schedule is made, which
            // afterEach reads whether or not this refuses the test
            ScheduleExplorer.requireFreshVirtualLoop(context);
        }
    }

    /** A replayed seed lists its decisions, to compare replays across machines and JDKs. */
    @Override
    public void afterEach(ExtensionContext context) {
        if (exploration.plan().fixedSeed() && kind == Kind.RUN) {
            context.publishReportEntry(
                    DECISIONS_ENTRY,
                    schedule.decisions().stream()
                            .map(ExploredSchedule.Decision::trace)
                            .collect(Collectors.joining("\n")));
        }
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        Throwables.rethrowIfFatal(thrown);
        if (thrown instanceof TestAbortedException) {
            throw thrown;
        }
        failure = thrown.getClass();
        List<ExploredSchedule.Decision> departures = schedule.departures();
        switch (kind) {
            case RUN:
                exploration.departures(this, departures);
                throw new ExploredScheduleError(
                        ExploreMessages.runFailed(this, exploration.plan(), departures, thrown), thrown);
            case SHRINK:
                if (exploration.sameFailure(failure)) {
                    throw new TestAbortedException(ExploreMessages.stillFails(this, departures), thrown);
                }
                throw new ExploredScheduleError(
                        ExploreMessages.failedDifferently(this, exploration.plan(), departures, thrown), thrown);
            default:
                throw new ExploredScheduleError(
                        ExploreMessages.smallest(this, exploration, departures, thrown), thrown);
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (failure == null) {
            failure = cause.getClass();
        }
    }
}
