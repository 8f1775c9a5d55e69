package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskGroupTest {

    @Test
    void closeWaitsForEveryTaskOfTheGroup() {
        VirtualClock clock = new VirtualClock();
        List<String> events = EventLoops.run(clock, () -> {
            List<String> done = new ArrayList<>();
            try (TaskGroup group = Async.taskGroup()) {
                group.createTask(() -> {
                    Async.sleep(Duration.ofSeconds(2));
                    return done.add("two");
                });
                group.createTask("one", () -> {
                    Async.sleep(Duration.ofSeconds(1));
                    return done.add("one");
                });
                assertThat(group.tasks()).hasSize(2);
                assertThat(group.tasks().get(1).getName()).isEqualTo("one");
            }
            done.add("closed");
            return done;
        });
        assertThat(events).containsExactly("one", "two", "closed");
        assertThat(clock.nanoTime()).isEqualTo(Duration.ofSeconds(2).toNanos());
    }

    @Test
    void aFailingTaskCancelsItsSiblingsAndCloseKeepsEveryFailure() {
        IOException first = new IOException("first");
        IllegalStateException second = new IllegalStateException("second");
        List<Task<?>> tasks = new ArrayList<>();
        Throwable thrown = EventLoops.run(new VirtualClock(), () -> {
            try (TaskGroup group = Async.taskGroup()) {
                tasks.add(group.createTask("a", () -> {
                    Async.sleep(Duration.ofSeconds(1));
                    throw first;
                }));
                tasks.add(group.createTask("b", () -> {
                    Async.sleep(Duration.ofSeconds(1));
                    throw second;
                }));
                tasks.add(group.createTask("c", () -> {
                    Async.sleep(Duration.ofHours(1));
                    return "never";
                }));
            } catch (TaskGroupException e) {
                return e;
            }
            return null;
        });
        assertThat(thrown)
                .isInstanceOf(TaskGroupException.class)
                .hasMessage("2 of 3 tasks in the task group failed: a: java.io.IOException: first;"
                        + " b: java.lang.IllegalStateException: second");
        assertThat(((TaskGroupException) thrown).exceptions()).containsExactly(first, second);
        assertThat(thrown.getSuppressed()).containsExactly(first, second);
        assertThat(tasks.get(2).isCancelled()).isTrue();
    }

    @Test
    void aClosedGroupRefusesNewTasks() {
        Throwable thrown = EventLoops.run(() -> {
            TaskGroup group = Async.taskGroup();
            group.close();
            try {
                group.createTask(() -> 1);
                return null;
            } catch (IllegalStateException e) {
                return e;
            }
        });
        assertThat(thrown)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("TaskGroup is finished: create tasks inside its try block");
    }

    @Test
    void aGroupShuttingDownRefusesNewTasks() {
        Throwable thrown = EventLoops.run(() -> {
            IllegalStateException refused = null;
            try (TaskGroup group = Async.taskGroup()) {
                group.createTask("bad", () -> {
                    throw new IOException("boom");
                });
                Async.sleep(Duration.ZERO);
                Async.sleep(Duration.ZERO);
                try {
                    group.createTask(() -> 1);
                } catch (IllegalStateException e) {
                    refused = e;
                }
            } catch (TaskGroupException expected) {
                assertThat(expected.exceptions()).hasSize(1);
            }
            return refused;
        });
        assertThat(thrown)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("TaskGroup is shutting down")
                .hasMessageContaining("bad: java.io.IOException: boom");
    }

    @Test
    void cancellingTheOwnerWhileItClosesTheGroupCancelsTheGroupsTasks() {
        List<Task<?>> children = new ArrayList<>();
        try (EventLoop loop = EventLoops.newEventLoop(new VirtualClock())) {
            Task<Object> owner = loop.createTask(() -> {
                try (TaskGroup group = Async.taskGroup()) {
                    children.add(group.createTask(() -> {
                        Async.sleep(Duration.ofHours(1));
                        return 1;
                    }));
                }
                return null;
            });
            loop.callLater(Duration.ofSeconds(1), owner::cancel);
            assertThatThrownBy(() -> loop.runUntilComplete(owner))
                    .isInstanceOf(java.util.concurrent.CancellationException.class);
            assertThat(children).hasSize(1).allMatch(Task::isCancelled);
        }
    }
}
