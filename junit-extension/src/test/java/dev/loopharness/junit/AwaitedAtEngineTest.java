package dev.loopharness.junit;

import static dev.loopharness.testing.EngineRuns.failureOf;
import static dev.loopharness.testing.EngineRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.Async;
import dev.loopharness.Task;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Under the extension (debug mode by default) a failure rethrown by Async.await shows the test's await. */
class AwaitedAtEngineTest {

    static double parse(String text) {
        throw new NumberFormatException("not a price: " + text);
    }

    @WithEventLoop
    static class AwaitsAFailingTask {
        @Test
        void awaitsTheParser() {
            Task<Double> parsing = Async.createTask("parse", () -> parse("n/a"));
            Async.await(parsing);
        }
    }

    @WithEventLoop(scope = LoopScope.CLASS)
    static class AwaitsAFailingTaskOnAClassLoop extends AwaitsAFailingTask {}

    @Test
    void theRethrownFailureCarriesTheTestsAwaitSite() {
        for (Class<?> fixture : new Class<?>[] {AwaitsAFailingTask.class, AwaitsAFailingTaskOnAClassLoop.class}) {
            Throwable failure = failureOf(run(fixture));
            assertThat(failure).isInstanceOf(NumberFormatException.class).hasMessage("not a price: n/a");
            assertThat(Arrays.stream(failure.getSuppressed()).map(Throwable::getMessage))
                    .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .startsWith("awaited by task '" + fixture.getSimpleName() + ".awaitsTheParser()' at "
                            + AwaitsAFailingTask.class.getName() + ".awaitsTheParser(AwaitedAtEngineTest.java:");
        }
    }
}
