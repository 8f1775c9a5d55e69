package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Async.wait, asCompleted, shield, gatherSettled and gather over futures, after CPython's test_tasks.py; each test
 * names the case it follows.
 */
class WaitingOnManyTest {

    @AutoClose
    private final ReportingLoop reporting = new ReportingLoop();

    private final EventLoop loop = reporting.loop();
    private final List<ExceptionContext> reports = reporting.reports();

    private long millis() {
        return Duration.ofNanos(loop.time()).toMillis();
    }

    private Task<String> sleeper(String name, long millis) {
        return loop.createTask(name, () -> {
            Async.sleep(Duration.ofMillis(millis));
            return name;
        });
    }

    private Task<String> failing(String name, long millis, Exception failure) {
        return loop.createTask(name, () -> {
            Async.sleep(Duration.ofMillis(millis));
            throw failure;
        });
    }

    @Test
    @DisplayName("test_wait: ALL_COMPLETED returns when every future is done")
    void waitForAllReturnsWhenEveryFutureIsDone() {
        Task<String> a = sleeper("a", 100);
        Task<String> b = sleeper("b", 150);

        WaitResult<String> result =
                loop.runUntilComplete(() -> Async.wait(List.of(b, a), WaitMode.ALL_COMPLETED, null));

        assertThat(result.done()).containsExactly(b, a);
        assertThat(result.pending()).isEmpty();
        assertThat(millis()).isEqualTo(150);
    }

    @Test
    @DisplayName("test_wait_first_completed")
    void waitForTheFirstReturnsWhenOneIsDone() {
        Task<String> a = sleeper("a", 10_000);
        Task<String> b = sleeper("b", 100);

        WaitResult<String> result =
                loop.runUntilComplete(() -> Async.wait(List.of(a, b), WaitMode.FIRST_COMPLETED, null));

        assertThat(result.done()).containsExactly(b);
        assertThat(result.pending()).containsExactly(a);
        assertThat(millis()).isEqualTo(100);
        a.cancel();
    }

    @Test
    @DisplayName("test_wait_first_exception and test_wait_first_exception_in_wait")
    void waitForTheFirstExceptionReturnsOnAFailureNotOnACancellation() {
        Task<String> a = sleeper("a", 10_000);
        Task<String> cancelled = sleeper("cancelled", 10_000);
        Task<String> b = failing("b", 100, new ArithmeticException("err"));
        loop.callLater(Duration.ofMillis(50), cancelled::cancel);

        WaitResult<String> result =
                loop.runUntilComplete(() -> Async.wait(List.of(b, a, cancelled), WaitMode.FIRST_EXCEPTION, null));

        assertThat(result.done()).containsExactly(b, cancelled);
        assertThat(result.pending()).containsExactly(a);
        assertThat(millis()).isEqualTo(100);
        assertThat(b.exception()).hasMessage("err");
        a.cancel();
    }

    @Test
    @DisplayName("test_wait_first_exception with a future failed before the call: returns at once")
    void waitForTheFirstExceptionReturnsAtOnceWhenAFutureFailedAlready() {
        LoopFuture<String> failed = loop.createFuture();
        failed.setException(new ArithmeticException("before"));
        LoopFuture<String> done = loop.createFuture();
        done.setResult("ok");
        Task<String> a = sleeper("a", 10_000);

        WaitResult<String> result = loop.runUntilComplete(
                () -> Async.wait(List.of(done, failed, a), WaitMode.FIRST_EXCEPTION, Duration.ofHours(1)));

        assertThat(result.done()).containsExactly(done, failed);
        assertThat(result.pending()).containsExactly(a);
        assertThat(millis()).isZero();
        a.cancel();
    }

    @Test
    @DisplayName("test_wait_first_completed with a future done before the call: returns at once")
    void waitForTheFirstCompletedReturnsAtOnceWhenAFutureIsDoneAlready() {
        LoopFuture<String> done = loop.createFuture();
        done.setResult("ok");
        Task<String> a = sleeper("a", 10_000);

        WaitResult<String> result =
                loop.runUntilComplete(() -> Async.wait(List.of(a, done), WaitMode.FIRST_COMPLETED, null));

        assertThat(result.done()).containsExactly(done);
        assertThat(result.pending()).containsExactly(a);
        assertThat(millis()).isZero();
        a.cancel();
    }

    @Test
    @DisplayName("a wait that ends before its timeout takes its timer back")
    void aWaitThatEndsBeforeItsTimeoutLeavesNoTimer() {
        Task<String> a = sleeper("a", 100);

        List<TimerHandle> timersAfter = loop.runUntilComplete(() -> {
            Async.wait(List.of(a), WaitMode.ALL_COMPLETED, Duration.ofHours(1));
            return loop.pendingTimers();
        });

        assertThat(timersAfter).isEmpty();
        assertThat(millis()).isEqualTo(100);
    }

    @Test
    @DisplayName("test_wait_with_exception: wait never throws the futures' exceptions")
    void waitNeverThrowsTheFuturesExceptions() {
        Task<String> a = sleeper("a", 100);
        Task<String> b = failing("b", 150, new IOException("really"));

        WaitResult<String> result =
                loop.runUntilComplete(() -> Async.wait(List.of(b, a), WaitMode.ALL_COMPLETED, null));

        assertThat(result.done()).hasSize(2);
        assertThat(result.done().stream().filter(f -> f.exception() != null)).containsExactly(b);
    }

    @Test
    @DisplayName("test_wait_with_timeout: the timeout returns what is done, and cancels nothing")
    void waitWithATimeoutReturnsWhatIsDoneAndCancelsNothing() {
        Task<String> a = sleeper("a", 100);
        Task<String> b = sleeper("b", 150);

        WaitResult<String> result =
                loop.runUntilComplete(() -> Async.wait(List.of(b, a), WaitMode.ALL_COMPLETED, Duration.ofMillis(110)));

        assertThat(result.done()).containsExactly(a);
        assertThat(result.pending()).containsExactly(b);
        assertThat(millis()).isEqualTo(110);
        assertThat(loop.runUntilComplete(b)).isEqualTo("b");
    }

    @Test
    @DisplayName("test_wait_duplicate_coroutines and test_wait_invalid_args")
    void waitTakesEachFutureOnceAndRefusesBadArguments() {
        Task<String> a = sleeper("a", 1);
        WaitResult<String> result =
                loop.runUntilComplete(() -> Async.wait(List.of(a, a), WaitMode.ALL_COMPLETED, null));
        assertThat(result.done()).containsExactly(a);

        assertThatThrownBy(() -> loop.runUntilComplete(() -> Async.wait(List.of(), WaitMode.ALL_COMPLETED, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("futures must not be empty: Async.wait() needs a future to wait for");
        assertThatThrownBy(() -> loop.runUntilComplete(() -> Async.wait(List.of(a), null, null)))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("mode must not be null");
        List<LoopFuture<String>> withNull = new ArrayList<>();
        withNull.add(a);
        withNull.add(null);
        assertThatThrownBy(() -> loop.runUntilComplete(() -> Async.wait(withNull, WaitMode.ALL_COMPLETED, null)))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("futures[1] must not be null");
        try (EventLoop other = EventLoops.newEventLoop()) {
            LoopFuture<String> foreign = other.createFuture();
            assertThatThrownBy(() ->
                            loop.runUntilComplete(() -> Async.wait(List.of(foreign), WaitMode.ALL_COMPLETED, null)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("belongs to");
        }
    }

    @Test
    @DisplayName("test_as_completed: the futures come in the order they complete")
    void asCompletedGivesTheFuturesInTheOrderTheyComplete() {
        Task<String> a = sleeper("a", 150);
        Task<String> b = sleeper("b", 50);
        Task<String> c = sleeper("c", 100);

        List<String> order = loop.runUntilComplete(() -> {
            List<String> seen = new ArrayList<>();
            for (LoopFuture<String> next : Async.asCompleted(List.of(a, b, c), null)) {
                seen.add(Async.await(next) + " at " + millis());
            }
            return seen;
        });

        assertThat(order).containsExactly("b at 50", "c at 100", "a at 150");
    }

    @Test
    @DisplayName("test_as_completed_with_timeout: past the timeout, the rest are futures failed with TimeoutException")
    void asCompletedPastItsTimeoutGivesFuturesFailedWithTimeoutException() {
        Task<String> a = sleeper("a", 100);
        Task<String> b = sleeper("b", 10_000);

        List<Object> seen = loop.runUntilComplete(() -> {
            List<Object> results = new ArrayList<>();
            for (LoopFuture<String> next : Async.asCompleted(List.of(a, b), Duration.ofMillis(120))) {
                try {
                    results.add(Async.await(next, TimeoutException.class));
                } catch (TimeoutException e) {
                    results.add(e.getMessage() + " (at " + millis() + ")");
                }
            }
            return results;
        });

        assertThat(seen)
                .containsExactly(
                        "a",
                        "Async.asCompleted(): 1 of 2 futures did not complete within PT0.12S of loop time (at 120)");
        assertThat(b.isDone()).isFalse();
        b.cancel();
    }

    @Test
    @DisplayName("test_as_completed_duplicate_coroutines and test_as_completed_invalid_args")
    void asCompletedIsOnePassAndEndsWithNoSuchElement() {
        Task<String> a = sleeper("a", 1);
        List<Throwable> errors = loop.runUntilComplete(() -> {
            Iterable<LoopFuture<String>> completed = Async.asCompleted(List.of(a, a), null);
            java.util.Iterator<LoopFuture<String>> iterator = completed.iterator();
            assertThat((Object) iterator.next()).isSameAs(a);
            assertThat(iterator.hasNext()).isFalse();
            List<Throwable> thrown = new ArrayList<>();
            try {
                iterator.next();
            } catch (NoSuchElementException e) {
                thrown.add(e);
            }
            try {
                completed.iterator();
            } catch (IllegalStateException e) {
                thrown.add(e);
            }
            return thrown;
        });

        assertThat(errors.get(0)).hasMessage("all 1 futures were given already");
        assertThat(errors.get(1))
                .hasMessage("Async.asCompleted() gives one pass over the futures; call it again for another");
    }

    @Test
    @DisplayName("test_shield_result, test_shield_exception, test_shield_cancel_inner and test_shield_shortcut")
    void aShieldSettlesLikeTheInnerFuture() {
        LoopFuture<Integer> inner = loop.createFuture();
        LoopFuture<Integer> outer = Async.shield(inner);
        loop.callSoon(() -> inner.setResult(42));
        assertThat(loop.runUntilComplete(outer)).isEqualTo(42);

        LoopFuture<Integer> failing = loop.createFuture();
        LoopFuture<Integer> failingOuter = Async.shield(failing);
        RuntimeException expected = new RuntimeException("expected");
        failing.setException(expected);
        loop.runUntilComplete(() -> Async.wait(List.of(failingOuter), WaitMode.ALL_COMPLETED, null));
        assertThat(failingOuter.exception()).isSameAs(expected);

        LoopFuture<Integer> cancelled = loop.createFuture();
        LoopFuture<Integer> cancelledOuter = Async.shield(cancelled);
        cancelled.cancel();
        loop.runUntilComplete(() -> Async.wait(List.of(cancelledOuter), WaitMode.ALL_COMPLETED, null));
        assertThat(cancelledOuter.isCancelled()).isTrue();

        assertThat((Object) Async.shield(outer)).isSameAs(outer);
        assertThatThrownBy(() -> Async.shield(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("inner must not be null");
    }

    @Test
    @DisplayName("test_shield_effect and test_shield_cancel_outer: cancelling the outer task leaves the inner running")
    void cancellingTheTaskAwaitingAShieldLeavesTheInnerRunning() {
        LoopFuture<Void> waiter = loop.createFuture();
        List<String> proof = new ArrayList<>();
        Task<Object> outer = loop.createTask(() -> {
            Task<Object> inner = Async.createTask("inner", () -> {
                Async.await(waiter);
                return proof.add("inner finished");
            });
            Async.await(Async.shield(inner));
            return proof.add("outer finished");
        });
        loop.callLater(Duration.ofMillis(10), outer::cancel);
        loop.callLater(Duration.ofMillis(20), () -> waiter.setResult(null));

        assertThatThrownBy(() -> loop.runUntilComplete(outer)).isInstanceOf(CancellationException.class);
        loop.runUntilComplete(() -> {
            Async.sleep(Duration.ofMillis(50));
            return null;
        });
        assertThat(proof).containsExactly("inner finished");
        assertThat(reports).isEmpty();
    }

    @Test
    @DisplayName("test_return_exceptions: gatherSettled returns every outcome in argument order")
    void gatherSettledReturnsEveryOutcomeInArgumentOrder() {
        IOException failure = new IOException("down");
        List<Outcome<String>> outcomes = loop.runUntilComplete(() -> Async.gatherSettled(
                () -> {
                    Async.sleep(Duration.ofMillis(30));
                    return "first";
                },
                () -> {
                    throw failure;
                },
                () -> {
                    Async.currentTask().cancel("gave up");
                    Async.sleep(Duration.ofMillis(10));
                    return "never";
                }));

        assertThat(outcomes).hasSize(3);
        assertThat(outcomes.get(0).isSuccess()).isTrue();
        assertThat(outcomes.get(0).value()).isEqualTo("first");
        assertThat(outcomes.get(0).exception()).isNull();
        assertThat(outcomes.get(1).isSuccess()).isFalse();
        assertThat(outcomes.get(1).isCancelled()).isFalse();
        assertThat(outcomes.get(1).exception()).isSameAs(failure);
        assertThatThrownBy(outcomes.get(1)::value)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Outcome has no value: it failed with java.io.IOException: down")
                .hasCause(failure);
        assertThat(outcomes.get(2).isCancelled()).isTrue();
        assertThat(outcomes.get(2).exception())
                .isInstanceOf(CancellationException.class)
                .hasMessage("gave up");
        assertThat(reports).isEmpty();
    }

    @Test
    @DisplayName("test_cancel_gather_2: cancelling a settled gather cancels its tasks and ends cancelled")
    void cancellingGatherSettledCancelsItsTasksAndEndsCancelled() {
        List<String> events = new ArrayList<>();
        Task<List<Outcome<Object>>> gathering = loop.createTask(() -> Async.gatherSettled(() -> {
            try {
                return Async.await(Async.loop().createFuture());
            } catch (CancellationException e) {
                events.add("child cancelled");
                throw e;
            }
        }));
        loop.callLater(Duration.ofMillis(10), () -> gathering.cancel("enough"));

        assertThatThrownBy(() -> loop.runUntilComplete(gathering))
                .isInstanceOf(CancellationException.class)
                .hasMessage("enough");
        assertThat(events).containsExactly("child cancelled");
    }

    @Test
    @DisplayName("test_gather (futures): gather over existing tasks, as varargs and as a collection")
    void gatherWaitsForExistingFutures() {
        Task<String> a = sleeper("a", 20);
        Task<String> b = sleeper("b", 10);
        LoopFuture<String> c = loop.createFuture();
        loop.callLater(Duration.ofMillis(5), () -> c.setResult("c"));

        List<String> varargs = loop.runUntilComplete(() -> Async.gather(a, b, c));
        List<String> collection = loop.runUntilComplete(() -> Async.gather(List.of(c, b, a)));

        assertThat(varargs).containsExactly("a", "b", "c");
        assertThat(collection).containsExactly("c", "b", "a");
        assertThatThrownBy(() -> loop.runUntilComplete(() -> Async.gather(a, null)))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("futures[1] must not be null");
    }

    @Test
    @DisplayName("Async.gather over futures throws the first failure; its declared form lets callers catch it")
    void gatherOverFuturesThrowsTheFirstFailureAndCanDeclareIt() {
        IOException failure = new IOException("exchange down");
        Task<String> a = sleeper("a", 20);
        Task<String> b = failing("b", 10, failure);

        Object caught = loop.runUntilComplete(() -> {
            try {
                return Async.gather(List.of(a, b), IOException.class);
            } catch (IOException e) {
                return e;
            }
        });

        assertThat(caught).isSameAs(failure);
    }
}
