package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Loop futures at their edges: stages whose executor refuses the work or whose function returns another loop's
 * future, waiting with a timeout on a future, gathering nothing, shielding, removing one of several callbacks,
 * their text, and copies taken on another thread.
 */
class FutureEdgeCasesTest {

    private static final long PATIENCE_SECONDS = 30;

    private final List<ExceptionContext> reports = new ArrayList<>();
    private final EventLoop loop = EventLoops.newEventLoop(new VirtualClock());

    FutureEdgeCasesTest() {
        loop.setExceptionHandler((l, context) -> reports.add(context));
    }

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    @Test
    void aStageWhoseExecutorRefusesTheWorkFailsWithTheRefusal() {
        RejectedExecutionException refusal = new RejectedExecutionException("no room");
        Executor refusing = work -> {
            throw refusal;
        };
        LoopFuture<String> source = loop.createFuture();
        CompletionStage<String> stage = source.thenApplyAsync(value -> value + "!", refusing);

        assertThatThrownBy(() -> loop.runUntilComplete(() -> {
                    source.setResult("a");
                    return Async.await(stage);
                }))
                .isSameAs(refusal);
    }

    @Test
    void aStageComposedWithAnotherLoopsFutureFailsNamingBothLoops() {
        try (EventLoop other = EventLoops.newEventLoop(new VirtualClock())) {
            LoopFuture<String> foreign = other.createFuture();
            LoopFuture<String> source = loop.createFuture();
            CompletionStage<String> stage = source.thenCompose(value -> foreign);

            String[] running = new String[1];
            assertThatThrownBy(() -> loop.runUntilComplete(() -> {
                        running[0] = Async.loop().toString();
                        source.setResult("a");
                        return Async.await(stage);
                    }))
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessage(foreign + " belongs to " + other + ", not to " + running[0]
                            + "; to pass a result between loops, use toCompletableFuture()");
        }
    }

    @Test
    void waitForAFutureThatTakesTooLongCancelsItAfterTheTimeout() {
        LoopFuture<String> slow = loop.createFuture();
        long start = loop.time();

        assertThatThrownBy(() -> loop.runUntilComplete(() -> Async.waitFor(slow, Duration.ofSeconds(5))))
                .isExactlyInstanceOf(TimeoutException.class);

        assertThat(slow.isCancelled()).isTrue();
        assertThat(loop.time() - start).isEqualTo(Duration.ofSeconds(5).toNanos());
    }

    @Test
    void waitForWithAZeroTimeoutCancelsAPendingFutureAtOnce() {
        LoopFuture<String> pending = loop.createFuture();
        long start = loop.time();

        assertThatThrownBy(() -> loop.runUntilComplete(() -> Async.waitFor(pending, Duration.ZERO)))
                .isExactlyInstanceOf(TimeoutException.class);

        assertThat(pending.isCancelled()).isTrue();
        assertThat(loop.time()).isEqualTo(start);
    }

    @Test
    void waitForWithAZeroTimeoutReturnsTheResultOfADoneFuture() {
        LoopFuture<String> done = loop.createFuture();
        done.setResult("ready");

        assertThat(loop.runUntilComplete(() -> Async.waitFor(done, Duration.ZERO)))
                .isEqualTo("ready");
    }

    @Test
    void waitForAFutureThatEndsInTimeReturnsItsResultAndTakesItsTimerAway() {
        LoopFuture<String> quick = loop.createFuture();
        loop.callLater(Duration.ofSeconds(1), () -> quick.setResult("quick"));

        assertThat(loop.runUntilComplete(() -> Async.waitFor(quick, Duration.ofHours(1))))
                .isEqualTo("quick");
        assertThat(loop.time()).isLessThan(Duration.ofHours(1).toNanos());
    }

    @Test
    @SuppressWarnings("unchecked")
    void gatheringNothingGivesAnEmptyList() {
        List<Object> gathered = loop.runUntilComplete(() -> Async.gather(List.<CompletionStage<Object>>of()));
        List<Outcome<Object>> settled = loop.runUntilComplete(() -> Async.gatherSettled());

        assertThat(gathered).isEmpty();
        assertThat(settled).isEmpty();
    }

    @Test
    void theFailureOfAShieldedFutureWhoseShieldWasCancelledIsNotReportedAsUnretrieved() {
        LoopFuture<String> inner = loop.createFuture();
        LoopFuture<String> unshielded = loop.createFuture();
        loop.runUntilComplete(() -> {
            LoopFuture<String> outer = Async.shield(inner);
            outer.cancel();
            inner.setException(new IllegalStateException("after the shield was cancelled"));
            unshielded.setException(new IllegalStateException("nobody looked"));
            Async.sleep(Duration.ZERO);
            Async.sleep(Duration.ZERO);
            return null;
        });

        loop.close();

        assertThat(reports)
                .extracting(context -> context.exception().getMessage())
                .containsExactly("nobody looked");
    }

    @Test
    void removingOneOfSeveralDoneCallbacksLeavesTheOthers() {
        LoopFuture<String> future = loop.createFuture();
        List<String> ran = new ArrayList<>();
        Consumer<LoopFuture<String>> first = done -> ran.add("first");
        Consumer<LoopFuture<String>> second = done -> ran.add("second");
        Consumer<LoopFuture<String>> third = done -> ran.add("third");
        future.addDoneCallback(first);
        future.addDoneCallback(second);
        future.addDoneCallback(third);
        future.addDoneCallback(second);

        assertThat(future.removeDoneCallback(second)).isEqualTo(2);
        assertThat(future.removeDoneCallback(second)).isZero();
        future.setResult("v");
        loop.runUntilComplete(() -> {
            Async.sleep(Duration.ZERO);
            return null;
        });

        assertThat(ran).containsExactly("first", "third");
    }

    @Test
    void removingACallbackFromAFutureWithoutCallbacksRemovesNothing() {
        LoopFuture<String> future = loop.createFuture();

        assertThat(future.removeDoneCallback(done -> {})).isZero();
    }

    @Test
    void aFutureSaysHowItEnded() {
        LoopFuture<String> pending = loop.createFuture();
        LoopFuture<String> succeeded = loop.createFuture();
        LoopFuture<String> failed = loop.createFuture();
        LoopFuture<String> cancelled = loop.createFuture();
        IllegalStateException failure = new IllegalStateException("broke");
        succeeded.setResult("v");
        failed.setException(failure);
        cancelled.cancel();

        assertThat(pending.toString()).isEqualTo("<LoopFuture pending>");
        assertThat(succeeded.toString()).isEqualTo("<LoopFuture finished result=v>");
        assertThat(failed.toString()).isEqualTo("<LoopFuture finished exception=" + failure + ">");
        assertThat(cancelled.toString()).isEqualTo("<LoopFuture cancelled>");
        assertThatThrownBy(failed::result).isSameAs(failure);
    }

    @Test
    void aCopyTakenOnAnotherThreadWhileTheLoopRunsCompletesWithTheFuture() throws Exception {
        try (EventLoop real = EventLoops.newEventLoop()) {
            LoopFuture<String> future = real.createFuture();
            LoopOnThread.whileRunning(real, () -> {
                CompletableFuture<CompletableFuture<String>> copyTaken = new CompletableFuture<>();
                Thread taker = new Thread(() -> copyTaken.complete(future.toCompletableFuture()), "copy-taker");
                taker.start();
                CompletableFuture<String> copy = copyTaken.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
                real.callSoonThreadsafe(() -> future.setResult("across"));

                assertThat(copy.get(PATIENCE_SECONDS, TimeUnit.SECONDS)).isEqualTo("across");
                taker.join();
            });
        }
    }
}
