package dev.loopharness.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Delta debugging finds the smallest failing set, trying one set per test run. */
class ShrinkerTest {

    private static Shrinker shrink(List<Integer> decisions, Predicate<List<Integer>> fails) {
        Shrinker shrinker = new Shrinker(decisions);
        for (List<Integer> next = shrinker.next(); next != null; next = shrinker.next()) {
            shrinker.failed(fails.test(next));
        }
        return shrinker;
    }

    @Test
    void findsTheOneDecisionThatMatters() {
        Shrinker shrinker = shrink(List.of(0, 2, 4, 6, 8, 10, 12, 14), set -> set.contains(6));
        assertEquals(List.of(6), shrinker.smallest());
        assertThat(shrinker.attempts()).isLessThanOrEqualTo(10);
    }

    @Test
    void findsAPairThatMattersTogether() {
        assertEquals(
                List.of(2, 11),
                shrink(List.of(0, 2, 3, 5, 8, 11), set -> set.contains(2) && set.contains(11))
                        .smallest());
    }

    @Test
    void findsThatNoDecisionMattersWhenTheFailureNeedsNone() {
        assertEquals(List.of(), shrink(List.of(4, 7), set -> true).smallest());
    }

    @Test
    void keepsEverythingWhenEveryDecisionMatters() {
        assertEquals(
                List.of(1, 3, 5),
                shrink(List.of(1, 3, 5), set -> set.size() == 3).smallest());
    }

    @Test
    void stopsAfterAHundredAttempts() {
        List<Integer> many =
                java.util.stream.IntStream.range(0, 400).boxed().collect(java.util.stream.Collectors.toList());
        Shrinker shrinker = shrink(many, set -> set.size() >= 399);
        assertEquals(Shrinker.MAX_ATTEMPTS, shrinker.attempts());
    }
}
