package dev.loopharness.samples.reproductions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.VirtualTimeDeadlockException;
import dev.loopharness.junit.LoopTimeoutError;
import dev.loopharness.samples.report.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HangingTestTest {

    @Test
    void pastItsTimeoutAHangingTestFailsWithWhereItsTaskWaits() {
        Map<String, Throwable> failures = Fixtures.failures(Fixtures.run(HangingTest.WaitsForAReply.class));

        assertThat(failures).containsOnlyKeys("awaitsTheReply(EventLoop)");
        assertThat(failures.get("awaitsTheReply(EventLoop)"))
                .isInstanceOf(LoopTimeoutError.class)
                .hasMessageStartingWith(
                        "Test \"WaitsForAReply.awaitsTheReply()\" did not complete within PT0.3S of real time")
                .hasMessageContaining("task 'WaitsForAReply.awaitsTheReply()'")
                .hasMessageContaining("waiting at " + HangingTest.WaitsForAReply.class.getName()
                        + ".awaitsTheReply(HangingTest.java:");
    }

    @Test
    void inVirtualTimeTheSameTestFailsAtOnceWithADeadlock() {
        Map<String, Throwable> failures =
                Fixtures.failures(Fixtures.run(HangingTest.WaitsForAReplyInVirtualTime.class));

        assertThat(failures).containsOnlyKeys("awaitsTheReply(EventLoop)");
        assertThat(failures.get("awaitsTheReply(EventLoop)"))
                .isInstanceOf(VirtualTimeDeadlockException.class)
                .hasMessageStartingWith("Deadlock in virtual time")
                .hasMessageContaining("task 'WaitsForAReplyInVirtualTime.awaitsTheReply()'")
                .hasMessageContaining("waiting at " + HangingTest.WaitsForAReplyInVirtualTime.class.getName()
                        + ".awaitsTheReply(HangingTest.java:");
    }

    @Test
    void aReplyThatComesPasses() {
        Fixtures.run(HangingTest.GetsAReply.class)
                .assertStatistics(stats -> stats.started(1).succeeded(1));
    }
}
