package dev.loopharness.samples.reproductions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.samples.report.Fixtures;
import dev.loopharness.samples.report.Outcome;
import dev.loopharness.samples.report.Report;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

class SharedExecutorShutDownTest {

    @Test
    void theNextClassFailsBecauseAnAfterAllShutTheSharedSchedulerDown() throws InterruptedException {
        SharedExecutorShutDown.Schedulers.reset();
        Events events = SharedExecutorShutDown.runInOrder(
                SharedExecutorShutDown.FirstClassShutsItDown.class, SharedExecutorShutDown.SecondClassUsesIt.class);

        Map<String, Throwable> failures = Fixtures.failures(events);
        assertThat(failures).containsOnlyKeys("sendsAnAlert()");
        assertThat(failures.get("sendsAnAlert()"))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessageStartingWith("Task java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask@")
                .hasMessageContaining("rejected from java.util.concurrent.ScheduledThreadPoolExecutor@");
        assertThat(SharedExecutorShutDown.Schedulers.awaitEnd()).isTrue();
    }

    @Test
    void withASchedulerPerTestBothClassesPass() {
        SharedExecutorShutDown.runInOrder(
                        SharedExecutorShutDown.FirstClassFixed.class, SharedExecutorShutDown.SecondClassFixed.class)
                .assertStatistics(stats -> stats.started(2).succeeded(2).failed(0));
    }

    @Test
    void theOutcomeSaysItBehavedAsDocumented() {
        Outcome outcome = new SharedExecutorShutDown().run();
        assertThat(outcome.behavedAsDocumented()).isTrue();
        assertThat(outcome.failure().exception()).isInstanceOf(RejectedExecutionException.class);
        assertThat(Report.render(outcome)).contains("10. A shared executor shut down under the next class");
    }
}
