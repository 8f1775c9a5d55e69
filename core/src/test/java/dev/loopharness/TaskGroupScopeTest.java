package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Async.taskGroup(body), after CPython's test_taskgroups.py; each test names the case it follows. */
class TaskGroupScopeTest {

    private final EventLoop loop = EventLoops.newEventLoop(new VirtualClock());

    @AfterEach
    void close() {
        loop.close();
    }

    private long millis() {
        return Duration.ofNanos(loop.time()).toMillis();
    }

    private static <T> Coroutine<T> after(long millis, T value) {
        return () -> {
            Async.sleep(Duration.ofMillis(millis));
            return value;
        };
    }

    private static Coroutine<Object> failingAfter(long millis, Exception failure) {
        return () -> {
            Async.sleep(Duration.ofMillis(millis));
            throw failure;
        };
    }

    /** A coroutine that sleeps and, when cancelled, fails instead of ending cancelled. */
    private static Coroutine<Object> failingWhenCancelled() {
        return () -> {
            try {
                Async.sleep(Duration.ofSeconds(10));
            } catch (CancellationException cancelled) {
                throw new ArithmeticException("while cancelled");
            }
            return null;
        };
    }

    /** Runs a coroutine on the loop and returns what it threw. */
    private Throwable thrownBy(Coroutine<?> coroutine) {
        return failureOf(loop.createTask(coroutine));
    }

    /** Runs the loop until a task is done and returns what it threw. */
    private Throwable failureOf(Task<?> task) {
        try {
            loop.runUntilComplete(task);
        } catch (RuntimeException | Error e) {
            return e;
        }
        throw new AssertionError("nothing was thrown");
    }

    @Test
    @DisplayName("test_taskgroup_01 and test_taskgroup_02: the scope waits for its tasks and returns the body's value")
    void theScopeWaitsForEveryTaskAndReturnsTheBodysValue() {
        List<Task<Integer>> tasks = new ArrayList<>();
        String value = loop.runUntilComplete(() -> Async.taskGroup(group -> {
            tasks.add(group.createTask(after(100, 42)));
            Async.sleep(Duration.ofMillis(150));
            tasks.add(group.createTask("second", after(200, 11)));
            return "body done";
        }));

        assertThat(value).isEqualTo("body done");
        assertThat(tasks.get(0).result()).isEqualTo(42);
        assertThat(tasks.get(1).result()).isEqualTo(11);
        assertThat(tasks.get(1).getName()).isEqualTo("second");
        assertThat(millis()).isEqualTo(350);
    }

    @Test
    @DisplayName("test_taskgroup_03: a task cancelled explicitly does not stop the group")
    void aTaskCancelledExplicitlyDoesNotStopTheGroup() {
        List<Task<Integer>> tasks = new ArrayList<>();
        loop.runUntilComplete(() -> Async.taskGroup(group -> {
            tasks.add(group.createTask(after(1000, 42)));
            Async.sleep(Duration.ofMillis(150));
            tasks.get(0).cancel();
            tasks.add(group.createTask(after(200, 11)));
            return null;
        }));

        assertThat(tasks.get(0).isCancelled()).isTrue();
        assertThat(tasks.get(1).result()).isEqualTo(11);
    }

    @Test
    @DisplayName("test_cancel_children_on_child_error: a failing task cancels its siblings and interrupts the body")
    void aFailingTaskCancelsItsSiblingsAndInterruptsTheBody() {
        ArithmeticException failure = new ArithmeticException("/ by zero");
        List<String> events = new ArrayList<>();
        Task<?>[] owner = new Task<?>[1];
        Throwable thrown = thrownBy(() -> {
            owner[0] = Async.currentTask();
            Async.taskGroup(group -> {
                group.createTask("failing", failingAfter(100, failure));
                group.createTask("sibling", () -> {
                    try {
                        Async.sleep(Duration.ofSeconds(5));
                        return events.add("sibling slept");
                    } catch (CancellationException e) {
                        events.add("sibling cancelled at " + millis());
                        throw e;
                    }
                });
                try {
                    Async.sleep(Duration.ofSeconds(10));
                } catch (CancellationException e) {
                    events.add("body interrupted at " + millis());
                    throw e;
                }
                return events.add("body slept");
            });
            return events.add("after the scope");
        });

        assertThat(thrown)
                .isInstanceOf(TaskGroupException.class)
                .hasMessage("1 of 2 tasks in the task group failed: failing: java.lang.ArithmeticException: / by zero");
        assertThat(((TaskGroupException) thrown).exceptions()).containsExactly(failure);
        assertThat(events).containsExactlyInAnyOrder("body interrupted at 100", "sibling cancelled at 100");
        assertThat(owner[0].cancelling()).isZero();
        assertThat(owner[0].isCancelled()).isFalse();
    }

    @Test
    @DisplayName("test_taskgroup_09 and test_taskgroup_10: a failing body cancels the tasks; its failure is grouped")
    void aFailingBodyCancelsTheTasksAndItsFailureIsGrouped() {
        IOException failure = new IOException("body failed");
        List<Task<Integer>> tasks = new ArrayList<>();
        Throwable thrown = thrownBy(() -> Async.taskGroup(group -> {
            tasks.add(group.createTask(after(1000, 42)));
            tasks.add(group.createTask(after(2000, 11)));
            Async.sleep(Duration.ofMillis(100));
            throw failure;
        }));

        assertThat(thrown)
                .isInstanceOf(TaskGroupException.class)
                .hasMessage("the task group's body failed: body: java.io.IOException: body failed");
        assertThat(((TaskGroupException) thrown).exceptions()).containsExactly(failure);
        assertThat(tasks).allMatch(Task::isCancelled);
        assertThat(millis()).isEqualTo(100);
    }

    @Test
    @DisplayName("test_taskgroup_19: failures of tasks and body are kept in the order they happened")
    void failuresOfTasksAndBodyAreKeptInTheOrderTheyHappened() {
        ArithmeticException first = new ArithmeticException("task first");
        IllegalStateException second = new IllegalStateException("body while cancelled");
        Throwable thrown = thrownBy(() -> Async.taskGroup(group -> {
            group.createTask("crash-soon", failingAfter(100, first));
            try {
                Async.sleep(Duration.ofSeconds(10));
            } catch (CancellationException cancelled) {
                throw second;
            }
            return null;
        }));

        assertThat(thrown)
                .isInstanceOf(TaskGroupException.class)
                .hasMessage("1 of 1 tasks in the task group failed, and its body: crash-soon:"
                        + " java.lang.ArithmeticException: task first;"
                        + " body: java.lang.IllegalStateException: body while cancelled");
        assertThat(((TaskGroupException) thrown).exceptions()).containsExactly(first, second);
    }

    @Test
    @DisplayName("test_cancellation and test_taskgroup_07: cancelling the owner cancels the tasks and ends cancelled")
    void cancellingTheOwnerCancelsTheTasksAndEndsInCancellation() {
        List<String> events = new ArrayList<>();
        Task<Object> owner = loop.createTask(() -> Async.taskGroup(group -> {
            for (int i = 0; i < 5; i++) {
                group.createTask(() -> {
                    try {
                        return Async.await(Async.loop().createFuture());
                    } catch (CancellationException e) {
                        events.add("task cancelled");
                        throw e;
                    }
                });
            }
            Async.sleep(Duration.ofSeconds(10));
            return null;
        }));
        loop.callLater(Duration.ofMillis(100), () -> owner.cancel("stop"));

        assertThatThrownBy(() -> loop.runUntilComplete(owner))
                .isInstanceOf(CancellationException.class)
                .hasMessage("stop");
        assertThat(events).hasSize(5).containsOnly("task cancelled");
        assertThat(millis()).isEqualTo(100);
    }

    @Test
    @DisplayName("test_taskgroup_08: failures while cancelling take priority over the owner's cancellation")
    void failuresWhileTheOwnerIsCancelledAreGrouped() {
        Task<Object> owner = loop.createTask(() -> Async.taskGroup(group -> {
            for (int i = 0; i < 3; i++) {
                group.createTask(failingWhenCancelled());
            }
            Async.sleep(Duration.ofSeconds(10));
            return null;
        }));
        loop.callLater(Duration.ofMillis(100), owner::cancel);

        assertThatThrownBy(() -> loop.runUntilComplete(owner))
                .isInstanceOf(TaskGroupException.class)
                .hasMessageStartingWith("3 of 3 tasks in the task group failed: ");
    }

    @Test
    @DisplayName("test_taskgroup_11: a nested group's failures reach the outer group as one failure")
    void aNestedGroupsFailuresReachTheOuterGroupAsOneFailure() {
        Task<Object> owner = loop.createTask(() -> Async.taskGroup(outer -> Async.taskGroup(inner -> {
            for (int i = 0; i < 5; i++) {
                inner.createTask(failingWhenCancelled());
            }
            Async.sleep(Duration.ofSeconds(10));
            return null;
        })));
        loop.callLater(Duration.ofMillis(100), owner::cancel);

        Throwable thrown = failureOf(owner);

        assertThat(thrown).isInstanceOf(TaskGroupException.class);
        List<Throwable> outer = ((TaskGroupException) thrown).exceptions();
        assertThat(outer).singleElement().isInstanceOf(TaskGroupException.class);
        assertThat(((TaskGroupException) outer.get(0)).exceptions())
                .hasSize(5)
                .allMatch(e -> e instanceof ArithmeticException);
    }

    @Test
    @DisplayName("test_taskgroup_18: a body that turns its cancellation into a failure has it grouped")
    void aBodyThatTurnsItsCancellationIntoAFailureHasItGrouped() {
        IllegalStateException converted = new IllegalStateException("converted");
        Task<Object> owner = loop.createTask(() -> Async.taskGroup(group -> {
            try {
                Async.sleep(Duration.ofSeconds(10));
            } catch (CancellationException cancelled) {
                throw converted;
            }
            return null;
        }));
        loop.callLater(Duration.ofMillis(100), owner::cancel);

        Throwable thrown = failureOf(owner);

        assertThat(thrown).isInstanceOf(TaskGroupException.class);
        assertThat(((TaskGroupException) thrown).exceptions()).containsExactly(converted);
    }

    @Test
    @DisplayName("test_taskgroup_20: an Error is thrown as itself, not grouped")
    void anErrorIsThrownAsItself() {
        AssertionError error = new AssertionError("not grouped");
        Throwable thrown = thrownBy(() -> Async.taskGroup(group -> {
            group.createTask(failingAfter(100, new IOException("grouped otherwise")));
            try {
                Async.sleep(Duration.ofSeconds(10));
            } catch (CancellationException cancelled) {
                throw error;
            }
            return null;
        }));

        assertThat(thrown).isSameAs(error);
    }

    @Test
    @DisplayName("test_taskgroup_no_create_task_after_failure and test_taskgroup_finished")
    void aGroupShuttingDownOrFinishedRefusesNewTasks() {
        List<Throwable> refusals = new ArrayList<>();
        TaskGroup[] kept = new TaskGroup[1];
        Throwable thrown = thrownBy(() -> Async.taskGroup(group -> {
            kept[0] = group;
            group.createTask("failing", failingAfter(1, new IOException("boom")));
            try {
                Async.sleep(Duration.ofSeconds(1));
            } catch (CancellationException e) {
                try {
                    group.createTask(after(1, 1));
                } catch (IllegalStateException refused) {
                    refusals.add(refused);
                }
            }
            return null;
        }));
        try {
            kept[0].createTask(after(1, 1));
        } catch (IllegalStateException refused) {
            refusals.add(refused);
        }

        assertThat(thrown).isInstanceOf(TaskGroupException.class);
        assertThat(refusals).hasSize(2);
        assertThat(refusals.get(0))
                .hasMessage("TaskGroup is shutting down: a task failed or the group was cancelled, and its tasks are"
                        + " being cancelled; failures: [failing: java.io.IOException: boom]");
        assertThat(refusals.get(1))
                .hasMessage("TaskGroup is finished: its body has returned and its tasks are done; create tasks"
                        + " inside the body of Async.taskGroup(group -> ...)");
        assertThatThrownBy(kept[0]::close)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("This TaskGroup belongs to Async.taskGroup(group -> ...) and closes when its body"
                        + " returns; close() is for the try-with-resources form, Async.taskGroup()");
    }

    @Test
    @DisplayName("test_taskgroup_context_manager_exit_raises: the owner's cancellation count is back to zero")
    void theGroupWithdrawsTheCancellationItMadeOfItsOwner() {
        int[] cancelling = {-1};
        loop.runUntilComplete(() -> {
            try {
                Async.taskGroup(group -> {
                    group.createTask(failingAfter(0, new IOException("child")));
                    Async.sleep(Duration.ofSeconds(1));
                    return null;
                });
            } catch (TaskGroupException expected) {
                cancelling[0] = Async.currentTask().cancelling();
            }
            Async.sleep(Duration.ofMillis(1)); // not cancelled: the group's request was withdrawn
            return null;
        });

        assertThat(cancelling[0]).isZero();
    }

    @Test
    @DisplayName("test_timeouts and test_taskgroups combined: a timeout inside a group, the group's task failing")
    void aTimeoutInsideAGroupLetsTheGroupsCancellationThrough() {
        IOException failure = new IOException("child failed");
        Throwable thrown = thrownBy(() -> Async.taskGroup(group -> {
            group.createTask(failingAfter(100, failure));
            return Async.timeout(Duration.ofSeconds(10), scope -> {
                Async.sleep(Duration.ofSeconds(5));
                return null;
            });
        }));

        assertThat(thrown).isInstanceOf(TaskGroupException.class);
        assertThat(((TaskGroupException) thrown).exceptions()).containsExactly(failure);
    }

    @Test
    @DisplayName("test_timeouts and test_taskgroups combined: a timeout expiring inside a group is the body's failure")
    void aTimeoutExpiringInsideAGroupIsTheBodysFailure() {
        Throwable thrown = thrownBy(() -> Async.taskGroup(group -> {
            group.createTask(after(1000, 1));
            return Async.timeout(Duration.ofMillis(100), scope -> {
                Async.sleep(Duration.ofSeconds(5));
                return null;
            });
        }));

        assertThat(thrown)
                .isInstanceOf(TaskGroupException.class)
                .hasMessageStartingWith("the task group's body failed");
        assertThat(((TaskGroupException) thrown).exceptions()).singleElement().isInstanceOf(TimeoutException.class);
        assertThat(millis()).isEqualTo(100);
    }

    @Test
    @DisplayName("test_timeouts and test_taskgroups combined: a group inside a timeout is cancelled at the deadline")
    void aGroupInsideATimeoutIsCancelledAtTheDeadline() throws Exception {
        List<Task<Integer>> tasks = new ArrayList<>();
        Throwable thrown = loop.runUntilComplete(() -> {
            try {
                return Async.timeout(
                        Duration.ofMillis(100),
                        scope -> Async.taskGroup(group -> {
                            tasks.add(group.createTask(after(1000, 1)));
                            tasks.add(group.createTask(after(2000, 2)));
                            return null;
                        }));
            } catch (TimeoutException expected) {
                return expected;
            }
        });

        assertThat(thrown).isInstanceOf(TimeoutException.class);
        assertThat(tasks).allMatch(Task::isCancelled);
        assertThat(millis()).isEqualTo(100);
    }

    @Test
    @DisplayName("Async.taskGroup refuses a null body and runs only in a coroutine")
    void badUseIsRefused() {
        assertThatThrownBy(() -> loop.runUntilComplete(() -> Async.taskGroup(null)))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("body must not be null");
        assertThatThrownBy(() -> Async.taskGroup(group -> null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Async.taskGroup() must be called inside a coroutine");
    }
}
