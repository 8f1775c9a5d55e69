package dev.loopharness.junit.internal;

import dev.loopharness.junit.ExploreSchedules;
import dev.loopharness.spi.ExploredSchedule;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What an {@link ExploreSchedules} test explores: how many runs, their seeds, the strategy and the jitter, read
 * from the annotation and the configuration parameters. On a class ({@code onClass}) it never shrinks.
 */
record ExplorationPlan(
        int runs,
        long baseSeed,
        boolean fixedSeed,
        ExploreSchedules.Strategy strategy,
        Duration jitter,
        boolean keepGoing,
        boolean shrink,
        boolean onClass) {

    static final String RUNS = "loopharness.explore.runs";
    static final String SEED = "loopharness.seed";
    static final int DEFAULT_RUNS = 100;
    static final String DEFAULT_JITTER = "5ms";

    static ExplorationPlan read(ExploreSchedules annotation, ExtensionContext context) {
        if (annotation.runs() < 0) {
            throw new ExtensionConfigurationException(Messages.badConfiguration(
                    "@ExploreSchedules(runs)", String.valueOf(annotation.runs()), "0 (the default) or more"));
        }
        Optional<Long> configuredSeed = context.getConfigurationParameter(SEED).map(ExplorationPlan::parseSeed);
        long seed = configuredSeed.orElse(annotation.seed());
        boolean fixed = seed != 0;
        int runs = annotation.runs() > 0
                ? annotation.runs()
                : fixed
                        ? 1
                        : context.getConfigurationParameter(RUNS)
                                .map(ExplorationPlan::parseRuns)
                                .orElse(DEFAULT_RUNS);
        Duration jitter = Settings.parseTimeout("@ExploreSchedules(jitter)", annotation.jitter());
        if (jitter.toNanos() < 1000) {
            throw new ExtensionConfigurationException(Messages.badConfiguration(
                    "@ExploreSchedules(jitter)", annotation.jitter(), "a duration of at least 1 microsecond"));
        }
        boolean onClass = context.getTestMethod().isEmpty();
        return new ExplorationPlan(
                runs,
                fixed ? seed : ExploredSchedule.mixSeed(context.getUniqueId().hashCode()),
                fixed,
                annotation.strategy(),
                jitter,
                annotation.keepGoing(),
                annotation.shrink() && !onClass,
                onClass);
    }

    /** The seed of a run, numbered from 1: the fixed seed, or one drawn from the test's and the run's. */
    long seedOf(int run) {
        if (fixedSeed) {
            return baseSeed;
        }
        long seed = ExploredSchedule.mixSeed(baseSeed + run * 0x9E3779B97F4A7C15L);
        return seed == 0 ? 1 : seed;
    }

    ExploredSchedule.Strategy coreStrategy() {
        return ExploredSchedule.Strategy.valueOf(strategy.name());
    }

    /** Seeds as failure reports write them, in hexadecimal: {@code 0x3f2a...}. */
    static String hex(long seed) {
        return "0x" + Long.toHexString(seed);
    }

    static long parseSeed(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        if (text.endsWith("l")) {
            text = text.substring(0, text.length() - 1);
        }
        try {
            long seed = text.startsWith("0x") ? Long.parseUnsignedLong(text.substring(2), 16) : Long.parseLong(text);
            if (seed != 0) {
                return seed;
            }
        } catch (NumberFormatException bad) {
            // reported below
        }
        throw new ExtensionConfigurationException(Messages.badConfiguration(
                SEED, value, "a non-zero seed as a failure report gives it, such as 0x5deece66d"));
    }

    private static int parseRuns(String value) {
        try {
            int runs = Integer.parseInt(value.trim());
            if (runs > 0) {
                return runs;
            }
        } catch (NumberFormatException bad) {
            // reported below
        }
        throw new ExtensionConfigurationException(Messages.badConfiguration(RUNS, value, "a positive whole number"));
    }
}
