package dev.loopharness.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.EventLoop;
import dev.loopharness.EventLoops;
import dev.loopharness.ExceptionContext;
import dev.loopharness.Task;
import dev.loopharness.TimerHandle;
import dev.loopharness.VirtualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each message names what happened and what to do. */
class MessagesTest {

    @Test
    void countsAgreeWithTheirNouns() {
        assertThat(Messages.count(0, "task")).isEqualTo("0 tasks");
        assertThat(Messages.count(1, "task")).isEqualTo("1 task");
        assertThat(Messages.count(2, "timer")).isEqualTo("2 timers");
    }

    @Test
    void aLeakReportListsEachTaskAndTimerAndSaysWhatToDo() {
        try (EventLoop loop = EventLoops.newEventLoop(new VirtualClock())) {
            TimerHandle timer = loop.callLater(Duration.ofSeconds(30), () -> {});
            Task<Object> task = loop.createTask(() -> null);
            task.setName("poller");
            String message =
                    Messages.leaked("PriceTest.polls()", List.of(task), List.of(timer), List.of(), loop.time());
            assertThat(message)
                    .startsWith("Test \"PriceTest.polls()\" left work pending on its event loop: 1 task and 1 timer.")
                    .contains("\n  task 'poller'")
                    .contains("\n  timer due in 30.000 s of loop time: ")
                    .endsWith("or choose @WithEventLoop(leaks = CANCEL) to have the leftovers cancelled.");
        }
    }

    @Test
    void aCallbackReportNumbersTheErrors() {
        ExceptionContext first = ExceptionContext.of("Exception in callback", new IllegalStateException("one"));
        ExceptionContext second =
                ExceptionContext.of("Task exception was never retrieved", new RuntimeException("two"));
        assertThat(Messages.callbackErrors("T.t()", List.of(first, second)))
                .startsWith("2 errors reached the event loop's exception handler during test \"T.t()\":")
                .contains("\n  1. Exception in callback: java.lang.IllegalStateException: one")
                .contains("\n  2. Task exception was never retrieved: java.lang.RuntimeException: two")
                .endsWith("await the tasks you start so that their exceptions are retrieved.");
    }

    @Test
    void aTimeoutSaysWhichLimitAndHowToRaiseItOrAvoidIt() {
        String message = Messages.timedOut("T.hangs()", Duration.ofSeconds(2), List.of(), List.of(), 0, false);
        assertThat(message)
                .startsWith("Test \"T.hangs()\" did not complete within PT2S of real time and was cancelled. Pending on"
                        + " its event loop: 0 tasks and 0 timers.")
                .contains("@WithEventLoop(timeout = \"...\")")
                .contains("clock = VIRTUAL");
    }

    @Test
    void aSlowStepWarningThatCaughtPlainAwaitilityPointsToLoopAwaitility() {
        String warning = "Executing <Task 't' pending> took 1.300 seconds; it was blocking at"
                + " org.awaitility.core.ConditionAwaiter.await(ConditionAwaiter.java:120). Blocking calls stop the"
                + " whole loop: use Async.sleep() instead of Thread.sleep(), or move blocking work to"
                + " loop.runInExecutor(null, ...)\n  task: <Task 't' pending>";
        assertThat(Messages.warning(warning))
                .isEqualTo("Executing <Task 't' pending> took 1.300 seconds; it was blocking at"
                        + " org.awaitility.core.ConditionAwaiter.await(ConditionAwaiter.java:120). Plain Awaitility"
                        + " blocks the loop that would make its condition true: use LoopAwaitility.await()"
                        + " (dev.loopharness.awaitility), which has Awaitility's DSL, suspends the coroutine between"
                        + " polls and counts loop time.\n  task: <Task 't' pending>");
        String other = warning.replace("org.awaitility.core.ConditionAwaiter", "com.example.Poller");
        assertThat(Messages.warning(other)).isEqualTo(other);
    }

    @Test
    void aTimeoutNeverAdvisesVirtualTimeToAVirtualTest() {
        String message = Messages.timedOut("T.hangs()", Duration.ofSeconds(2), List.of(), List.of(), 0, true);
        assertThat(message)
                .doesNotContain("clock = VIRTUAL")
                .contains("The loop runs in virtual time already, so its sleeps and timers take no real time")
                .contains("@WithEventLoop(timeout = \"...\")");
        StackTraceElement[] stack = {new StackTraceElement("com.example.T", "waits", "T.java", 7)};
        assertThat(Messages.timedOutOnTestThread("T.waits()", Duration.ofSeconds(2), stack, true))
                .doesNotContain("clock = VIRTUAL")
                .contains("was at com.example.T.waits(T.java:7)");
    }

    @Test
    void aBlockedTestNamesTheUsersFrameAndTheBlockingCall() {
        StackTraceElement[] stack = {
            new StackTraceElement("java.lang.Thread", "sleep", "Thread.java", 500),
            new StackTraceElement("com.example.PriceTest", "waits", "PriceTest.java", 42)
        };
        assertThat(Messages.blocked("PriceTest.waits()", Duration.ofMillis(300), stack))
                .startsWith("Test \"PriceTest.waits()\" did not complete within PT0.3S of real time, and its"
                        + " coroutine blocked the event loop at com.example.PriceTest.waits(PriceTest.java:42)"
                        + " (java.lang.Thread.sleep(Thread.java:500)), so its thread was interrupted.")
                .contains("use Async.sleep() instead of Thread.sleep()");
    }

    @Test
    void anUnavailableParameterListsTheOnesThatAre() {
        assertThat(Messages.parameterNotAvailable("java.lang.String", "it is not a loop type"))
                .isEqualTo("Cannot resolve a parameter of type java.lang.String: it is not a loop type. @WithEventLoop"
                        + " resolves EventLoop, Executor, ScheduledExecutorService, java.time.Clock and, with clock ="
                        + " VIRTUAL, VirtualClock.");
    }

    @Test
    void theOwnerOfAGuardedLoopIsNamedWithItsScope() {
        assertThat(Messages.owner("SHARED", "the test run"))
                .isEqualTo("@WithEventLoop(scope = SHARED) for the test run");
        assertThat(Messages.badConfiguration("loopharness.scope", "GLOBAL", "TEST, CLASS, SHARED"))
                .isEqualTo("loopharness.scope = 'GLOBAL' is not valid; allowed: TEST, CLASS, SHARED");
    }
}
