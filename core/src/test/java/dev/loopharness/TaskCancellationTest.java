package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskCancellationTest {

    private final EventLoop loop = EventLoops.newEventLoop(new VirtualClock());

    @AfterEach
    void close() {
        loop.close();
    }

    @Test
    void cancellingAWaitingTaskMakesItsAwaitThrowCancellationException() {
        List<String> events = new ArrayList<>();
        Task<String> task = loop.createTask(() -> {
            try {
                Async.sleep(Duration.ofHours(1));
                return "slept";
            } catch (CancellationException e) {
                events.add("cancelled: " + e.getMessage());
                throw e;
            } finally {
                events.add("cleanup");
            }
        });
        loop.callLater(Duration.ofSeconds(1), () -> task.cancel("enough"));

        assertThatThrownBy(() -> loop.runUntilComplete(task))
                .isInstanceOf(CancellationException.class)
                .hasMessage("enough");
        assertThat(task.isCancelled()).isTrue();
        assertThat(events).containsExactly("cancelled: enough", "cleanup");
        assertThat(loop.time()).isEqualTo(Duration.ofSeconds(1).toNanos());
    }

    @Test
    void aTaskMayCatchItsCancellationAndFinishNormally() {
        Task<String> task = loop.createTask(() -> {
            try {
                Async.sleep(Duration.ofHours(1));
                return "slept";
            } catch (CancellationException e) {
                Async.sleep(Duration.ofSeconds(3));
                return "cleaned up after cancel";
            }
        });
        loop.callLater(Duration.ofSeconds(1), task::cancel);

        assertThat(loop.runUntilComplete(task)).isEqualTo("cleaned up after cancel");
        assertThat(task.isCancelled()).isFalse();
        assertThat(loop.time()).isEqualTo(Duration.ofSeconds(4).toNanos());
    }

    @Test
    void aTaskCancelledBeforeItStartsNeverRuns() {
        List<String> events = new ArrayList<>();
        Task<Object> task = loop.createTask(() -> {
            events.add("ran");
            return null;
        });
        assertThat(task.cancel()).isTrue();

        assertThatThrownBy(() -> loop.runUntilComplete(task)).isInstanceOf(CancellationException.class);
        assertThat(events).isEmpty();
        assertThat(task.isCancelled()).isTrue();
        assertThat(loop.allTasks()).isEmpty();
    }

    @Test
    void cancelOfADoneTaskReturnsFalse() {
        Task<Integer> task = loop.createTask(() -> 1);
        loop.runUntilComplete(task);
        assertThat(task.cancel()).isFalse();
        assertThat(task.isCancelled()).isFalse();
        assertThat(task.result()).isEqualTo(1);
    }

    @Test
    void aTaskAwaitingACancelledTaskSeesTheCancellation() {
        Task<String> inner = loop.createTask(() -> {
            Async.sleep(Duration.ofHours(1));
            return "inner";
        });
        Task<String> outer = loop.createTask(() -> {
            try {
                return Async.await(inner);
            } catch (CancellationException e) {
                return "saw cancellation of " + inner.getName();
            }
        });
        loop.callLater(Duration.ofSeconds(1), inner::cancel);

        assertThat(loop.runUntilComplete(outer)).isEqualTo("saw cancellation of " + inner.getName());
        assertThat(inner.isCancelled()).isTrue();
    }

    @Test
    void cancellingATaskCancelsTheTaskItAwaits() {
        Task<String> inner = loop.createTask(() -> {
            Async.sleep(Duration.ofHours(1));
            return "inner";
        });
        Task<String> outer = loop.createTask(() -> Async.await(inner));
        loop.callLater(Duration.ofSeconds(1), outer::cancel);

        assertThatThrownBy(() -> loop.runUntilComplete(outer)).isInstanceOf(CancellationException.class);
        assertThat(inner.isCancelled()).isTrue();
        assertThat(outer.isCancelled()).isTrue();
    }

    @Test
    void aTaskThatCancelsItselfIsCancelledAtItsNextAwait() {
        List<String> events = new ArrayList<>();
        Task<Object> task = loop.createTask(() -> {
            Async.currentTask().cancel();
            events.add("still running after cancel()");
            Async.sleep(Duration.ofSeconds(1));
            events.add("never");
            return null;
        });
        assertThatThrownBy(() -> loop.runUntilComplete(task)).isInstanceOf(CancellationException.class);
        assertThat(events).containsExactly("still running after cancel()");
    }

    @Test
    void cancellingAGatherCancelsItsChildren() {
        List<Task<?>> children = new ArrayList<>();
        Task<Object> gatherer = loop.createTask(() -> Async.gather(
                () -> {
                    children.add(Async.currentTask());
                    Async.sleep(Duration.ofHours(1));
                    return 1;
                },
                () -> {
                    children.add(Async.currentTask());
                    Async.sleep(Duration.ofHours(2));
                    return 2;
                }));
        loop.callLater(Duration.ofSeconds(1), gatherer::cancel);

        assertThatThrownBy(() -> loop.runUntilComplete(gatherer)).isInstanceOf(CancellationException.class);
        assertThat(children).hasSize(2).allMatch(Task::isCancelled);
    }
}
