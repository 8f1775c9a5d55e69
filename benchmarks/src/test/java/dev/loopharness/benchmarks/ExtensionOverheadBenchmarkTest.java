package dev.loopharness.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code runTest} row runs its {@value ExtensionOverheadBenchmark#TESTS} tests and every body (it reaches
 * kotlinx-coroutines-test by a method name that a new version could change), and a fixture whose bodies do not run
 * is refused, as every row's invocation checks: the figures are of the work they claim.
 */
class ExtensionOverheadBenchmarkTest {

    private final ExtensionOverheadBenchmark benchmark = new ExtensionOverheadBenchmark();
    private final ExtensionOverheadBenchmark.Engine engine = new ExtensionOverheadBenchmark.Engine();

    @BeforeEach
    void makeTheLauncher() {
        engine.setUp();
    }

    @Test
    void theRunTestRowRunsEveryBodyInsideKotlinxRunTest() {
        long before = ExtensionOverheadBenchmark.BODIES.get();

        assertThat(benchmark.runTest(engine)).isEqualTo(ExtensionOverheadBenchmark.TESTS);
        assertThat(ExtensionOverheadBenchmark.BODIES.get() - before).isEqualTo(ExtensionOverheadBenchmark.TESTS);
    }

    @Test
    void aFixtureWhoseBodiesDoNotRunIsRefused() {
        assertThatThrownBy(() -> engine.run(NoBodies.class, ExtensionOverheadBenchmark.DEFAULTS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("NoBodies: expected 1000 successful tests, got 0 successful, 0 failed, aborted or"
                        + " skipped, 0 bodies run");
    }

    /** No tests at all: what a fixture whose engine found nothing to run looks like. */
    static class NoBodies {}
}
