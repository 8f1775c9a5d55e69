package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Async.timeout and Async.timeoutAt, after CPython's test_timeouts.py; each test names the case it follows. */
class TimeoutScopeTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final EventLoop loop = EventLoops.newEventLoop(new VirtualClock());

    @AfterEach
    void close() {
        loop.close();
    }

    /** Runs a coroutine on the loop and returns what it threw. */
    private Throwable thrownBy(Coroutine<?> coroutine) {
        return loop.runUntilComplete(() -> caught(coroutine));
    }

    /** Runs code in the current coroutine and returns what it threw, or fails the test if it threw nothing. */
    private static Throwable caught(Coroutine<?> code) {
        try {
            code.run();
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("nothing was thrown");
    }

    @Test
    @DisplayName("test_timeout_basic and test_timeout_exception_cause")
    void theDeadlineCancelsTheBodyAndTheScopeThrowsTimeoutException() {
        List<Timeout> scopes = new ArrayList<>();
        Throwable thrown = thrownBy(() -> Async.timeout(Duration.ofMillis(10), scope -> {
            scopes.add(scope);
            Async.sleep(Duration.ofSeconds(10));
            return null;
        }));

        assertThat(thrown)
                .isInstanceOf(TimeoutException.class)
                .hasMessage("Async.timeout(): the deadline at loop time 0.010 s passed before the body completed;"
                        + " it was cancelled")
                .hasCauseInstanceOf(CancellationException.class);
        assertThat(scopes.get(0).expired()).isTrue();
        assertThat(loop.time()).isEqualTo(Duration.ofMillis(10).toNanos());
        assertThat(scopes.get(0)).hasToString("<Timeout [expired]>");
    }

    @Test
    @DisplayName("test_timeout_at_basic")
    void timeoutAtTakesADeadlineInLoopTime() {
        long deadline = loop.time() + SECOND;
        List<Timeout> scopes = new ArrayList<>();
        Throwable thrown = thrownBy(() -> Async.timeoutAt(deadline, scope -> {
            scopes.add(scope);
            return Async.await(Async.loop().createFuture());
        }));

        assertThat(thrown).isInstanceOf(TimeoutException.class);
        assertThat(scopes.get(0).expired()).isTrue();
        assertThat(scopes.get(0).when()).isEqualTo(deadline);
    }

    @Test
    @DisplayName("test_timeout_not_called, test_timeout_disabled and test_timeout_at_disabled")
    void aBodyThatEndsInTimeReturnsItsValue() throws Exception {
        Timeout[] seen = new Timeout[3];
        String value = loop.runUntilComplete(() -> Async.timeout(Duration.ofSeconds(10), scope -> {
            seen[0] = scope;
            Async.sleep(Duration.ofMillis(10));
            return "in time";
        }));
        loop.runUntilComplete(() -> Async.timeout(null, scope -> seen[1] = scope));
        loop.runUntilComplete(() -> Async.timeoutAt(Long.MAX_VALUE, scope -> seen[2] = scope));

        assertThat(value).isEqualTo("in time");
        assertThat(seen[0].expired()).isFalse();
        assertThat(seen[0].when()).isEqualTo(10 * SECOND);
        assertThat(seen[0]).hasToString("<Timeout [exited]>");
        assertThat(seen[1].when()).isEqualTo(Long.MAX_VALUE);
        assertThat(seen[2].when()).isEqualTo(Long.MAX_VALUE);
        assertThat(seen[1].expired()).isFalse();
    }

    @Test
    @DisplayName("test_nested_timeouts: only the outermost of two expired scopes throws TimeoutException")
    void ofTwoNestedScopesThatExpireTogetherOnlyTheOuterThrowsTimeoutException() {
        long deadline = loop.time() + SECOND;
        List<Object> events = new ArrayList<>();
        Throwable thrown = thrownBy(() -> Async.timeoutAt(deadline, outer -> {
            events.add(outer);
            try {
                return Async.timeoutAt(deadline, inner -> {
                    events.add(inner);
                    Async.sleep(Duration.ofSeconds(10));
                    return null;
                });
            } catch (CancellationException e) {
                events.add("inner scope let the cancellation go on");
                throw e;
            }
        }));

        assertThat(thrown).isInstanceOf(TimeoutException.class);
        assertThat(events).hasSize(3).contains("inner scope let the cancellation go on");
        assertThat(((Timeout) events.get(0)).expired()).isTrue();
        assertThat(((Timeout) events.get(1)).expired()).isTrue();
    }

    @Test
    @DisplayName("test_nested_timeouts_loop_busy: the outer scope stops the body after the inner one expired")
    void anOuterScopeStillCountsAfterAnInnerScopeTimedOut() {
        List<String> events = new ArrayList<>();
        Throwable thrown = thrownBy(() -> Async.timeout(Duration.ofMillis(100), outer -> {
            try {
                Async.timeout(Duration.ofMillis(10), inner -> {
                    Async.sleep(Duration.ofSeconds(1));
                    return null;
                });
            } catch (TimeoutException expected) {
                events.add("inner timed out at "
                        + Duration.ofNanos(Async.loop().time()).toMillis());
            }
            Async.sleep(Duration.ofSeconds(10));
            return null;
        }));

        assertThat(thrown).isInstanceOf(TimeoutException.class);
        assertThat(events).containsExactly("inner timed out at 10");
        assertThat(Duration.ofNanos(loop.time()).toMillis()).isEqualTo(100);
    }

    @Test
    @DisplayName("test_foreign_exception_passed and test_foreign_exception_on_timeout")
    void otherExceptionsGoOnAsTheyAreEvenAfterTheDeadline() {
        IllegalStateException early = new IllegalStateException("before the deadline");
        ArithmeticException late = new ArithmeticException("while cancelled at the deadline");
        Timeout[] seen = new Timeout[1];

        Throwable first = thrownBy(() -> Async.timeout(Duration.ofMillis(10), scope -> {
            seen[0] = scope;
            throw early;
        }));
        Throwable second = thrownBy(() -> Async.timeout(Duration.ofMillis(10), scope -> {
            try {
                Async.sleep(Duration.ofSeconds(1));
            } catch (CancellationException cancelled) {
                throw late;
            }
            return null;
        }));

        assertThat(first).isSameAs(early);
        assertThat(seen[0].expired()).isFalse();
        assertThat(second).isSameAs(late);
    }

    @Test
    @DisplayName("test_foreign_cancel_doesnt_timeout_if_not_expired")
    void aCancellationFromElsewhereGoesOnAsACancellation() {
        Timeout[] seen = new Timeout[1];
        Throwable thrown = thrownBy(() -> Async.timeout(Duration.ofSeconds(10), scope -> {
            seen[0] = scope;
            Async.currentTask().cancel("from elsewhere");
            Async.sleep(Duration.ofSeconds(10));
            return null;
        }));

        assertThat(thrown).isInstanceOf(CancellationException.class).hasMessage("from elsewhere");
        assertThat(seen[0].expired()).isFalse();
    }

    @Test
    @DisplayName("test_outer_task_is_not_cancelled: a timeout the body handled leaves its task able to finish")
    void aTaskThatHandledItsTimeoutFinishesNormally() {
        Task<String> task = loop.createTask(() -> {
            try {
                Async.timeout(Duration.ofMillis(1), scope -> {
                    Async.sleep(Duration.ofSeconds(10));
                    return null;
                });
                return "not reached";
            } catch (TimeoutException expected) {
                Async.sleep(Duration.ofMillis(1));
                return "handled";
            }
        });

        assertThat(loop.runUntilComplete(task)).isEqualTo("handled");
        assertThat(task.isCancelled()).isFalse();
        assertThat(task.cancelling()).isZero();
    }

    @Test
    @DisplayName("test_reschedule: a moved deadline is kept; a cancelled scope has not expired")
    void rescheduleMovesTheDeadline() {
        long deadline1 = loop.time() + 10 * SECOND;
        long deadline2 = deadline1 + 20 * SECOND;
        LoopFuture<Timeout> entered = loop.createFuture();
        Task<Object> task = loop.createTask(() -> Async.timeoutAt(deadline1, scope -> {
            entered.setResult(scope);
            Async.sleep(Duration.ofSeconds(50));
            return null;
        }));
        Timeout scope = loop.runUntilComplete(entered);

        assertThat(scope.when()).isEqualTo(deadline1);
        scope.reschedule(deadline2);
        assertThat(scope.when()).isEqualTo(deadline2);
        assertThat(scope).hasToString("<Timeout [entered] when=30.000>");
        scope.reschedule(Long.MAX_VALUE);
        assertThat(scope.when()).isEqualTo(Long.MAX_VALUE);
        task.cancel();

        assertThatThrownBy(() -> loop.runUntilComplete(task)).isInstanceOf(CancellationException.class);
        assertThat(scope.expired()).isFalse();
        assertThatThrownBy(() -> scope.reschedule(deadline1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot change state of exited Timeout");
    }

    @Test
    @DisplayName("test_timeout_expired: an expired scope refuses a new deadline")
    void anExpiredScopeRefusesANewDeadline() {
        Throwable thrown = thrownBy(() -> Async.timeout(Duration.ZERO, scope -> {
            try {
                Async.sleep(Duration.ofSeconds(1));
            } catch (CancellationException e) {
                scope.reschedule(Long.MAX_VALUE);
            }
            return null;
        }));

        assertThat(thrown)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Cannot change state of expiring Timeout");
    }

    @Test
    @DisplayName("test_timeout_zero_sleep_zero and test_timeout_in_the_past_sleep_zero")
    void aDeadlineNowOrPastExpiresAtTheNextIteration() {
        for (Duration delay : List.of(Duration.ZERO, Duration.ofSeconds(-11))) {
            Throwable thrown = thrownBy(() -> Async.timeout(delay, scope -> {
                Async.sleep(Duration.ZERO);
                return null;
            }));
            assertThat(thrown).isInstanceOf(TimeoutException.class);
        }
    }

    @Test
    @DisplayName("test_timeout_after_cancellation and test_cancel_in_timeout_after_cancellation")
    void aScopeOpenedAfterACaughtCancellationCountsFromThere() {
        List<Throwable> thrown = loop.runUntilComplete(() -> {
            List<Throwable> caught = new ArrayList<>();
            try {
                Async.currentTask().cancel();
                Async.sleep(Duration.ofSeconds(1));
            } catch (CancellationException expected) {
                caught.add(caught(() -> Async.timeout(Duration.ZERO, scope -> {
                    Async.sleep(Duration.ofSeconds(1));
                    return null;
                })));
                caught.add(caught(() -> Async.timeout(Duration.ofSeconds(1), scope -> {
                    Async.currentTask().cancel("again");
                    Async.sleep(Duration.ofSeconds(2));
                    return null;
                })));
            }
            return caught;
        });

        assertThat(thrown).hasSize(2);
        assertThat(thrown.get(0)).isInstanceOf(TimeoutException.class);
        assertThat(thrown.get(1)).isInstanceOf(CancellationException.class).hasMessage("again");
    }

    @Test
    @DisplayName("Async.timeout refuses a null body and runs only in a coroutine")
    void badUseIsRefused() {
        assertThatThrownBy(() -> loop.runUntilComplete(() -> Async.timeout(Duration.ZERO, null)))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("body must not be null");
        assertThatThrownBy(() -> Async.timeoutAt(0, scope -> null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Async.timeoutAt() must be called inside a coroutine");
    }
}
