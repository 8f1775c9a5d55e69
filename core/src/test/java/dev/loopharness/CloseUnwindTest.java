package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class CloseUnwindTest {

    @Test
    void closeUnwindsPendingTasksRunningTheirFinallyBlocks() {
        List<String> events = new ArrayList<>();
        EventLoop loop = EventLoops.newEventLoop();
        Task<Object> task = loop.createTask(() -> {
            try {
                return Async.await(Async.loop().createFuture());
            } catch (CancellationException e) {
                events.add(e.getMessage());
                throw e;
            } finally {
                events.add("finally ran");
            }
        });
        loop.runUntilComplete(() -> {
            Async.sleep(Duration.ZERO);
            return null;
        });

        loop.close();

        assertThat(events).hasSize(2);
        assertThat(events.get(0))
                .startsWith("Task " + task.getName() + " was unwound: Event loop is closed")
                .contains("CloseUnwindTest.closeUnwindsPendingTasksRunningTheirFinallyBlocks");
        assertThat(events.get(1)).isEqualTo("finally ran");
        assertThat(task.isCancelled()).isTrue();
        assertThat(loop.allTasks()).isEmpty();
    }

    @Test
    void aTaskUnwoundByCloseCannotScheduleAnythingMore() {
        List<Throwable> caught = new ArrayList<>();
        EventLoop loop = EventLoops.newEventLoop();
        loop.createTask(() -> {
            try {
                Async.sleep(Duration.ofHours(1));
            } finally {
                try {
                    Async.sleep(Duration.ofSeconds(1));
                } catch (RuntimeException e) {
                    caught.add(e);
                }
            }
            return null;
        });
        loop.runUntilComplete(() -> {
            Async.sleep(Duration.ZERO);
            return null;
        });
        loop.close();
        assertThat(caught).hasSize(1);
        assertThat(caught.get(0))
                .isInstanceOf(EventLoopClosedException.class)
                .hasMessageStartingWith("Event loop is closed");
    }

    @Test
    void closingTwiceIsHarmlessAndEverythingAfterwardsSaysWhereItWasClosed() {
        EventLoop loop = EventLoops.newEventLoop();
        loop.close();
        loop.close();
        assertThatThrownBy(() -> loop.createTask(() -> 1))
                .isInstanceOf(EventLoopClosedException.class)
                .hasMessageStartingWith("Event loop is closed")
                .hasMessageContaining("CloseUnwindTest.java:");
        assertThatThrownBy(() -> loop.runUntilComplete(() -> 1))
                .isInstanceOf(EventLoopClosedException.class)
                .hasMessageStartingWith("Event loop is closed");
    }
}
