package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An exception rethrown by Async.await carries, in debug mode, the frames of every coroutine that awaited it. */
class AwaitedAtTest {

    static final class PriceFormatException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PriceFormatException(String message) {
            super(message);
        }
    }

    private static double parse(String text) {
        throw new PriceFormatException("not a price: " + text);
    }

    private static double sumPrices() {
        Task<Double> parsing = Async.createTask("parse", () -> parse("n/a"));
        return Async.await(parsing) + 1;
    }

    private static double main() {
        Task<Double> summing = Async.createTask("sum_prices", AwaitedAtTest::sumPrices);
        return Async.await(summing);
    }

    private static Throwable failureOfMain(boolean debug) {
        try (EventLoop loop = EventLoops.newEventLoop()) {
            loop.setDebug(debug);
            return catchThrowable(() -> loop.runUntilComplete(loop.createTask("main", AwaitedAtTest::main)));
        }
    }

    @Test
    void inDebugModeTheRethrownExceptionCarriesEachAwaitingCoroutinesFrames() {
        Throwable failure = failureOfMain(true);
        assertThat(failure).isInstanceOf(PriceFormatException.class).hasMessage("not a price: n/a");
        List<String> awaits = Arrays.stream(failure.getSuppressed())
                .map(Throwable::getMessage)
                .toList();
        String here = AwaitedAtTest.class.getName();
        assertThat(awaits).hasSize(2);
        assertThat(awaits.get(0)).startsWith("awaited by task 'sum_prices' at " + here + ".sumPrices(");
        assertThat(awaits.get(1)).startsWith("awaited by task 'main' at " + here + ".main(");
        assertThat(failure.getSuppressed()[1].getStackTrace()[0].getMethodName())
                .isEqualTo("main");
        assertThat(failure.getSuppressed()[0].getClass().getName()).isEqualTo("dev.loopharness.internal.AwaitedAt");
    }

    @Test
    void outsideDebugModeNothingIsAttached() {
        Throwable failure = failureOfMain(false);
        assertThat(failure).isInstanceOf(PriceFormatException.class);
        assertThat(failure.getSuppressed()).isEmpty();
    }

    @Test
    void aFailureAwaitedAgainAtTheSameSiteIsStitchedOnce() {
        try (EventLoop loop = EventLoops.newEventLoop()) {
            loop.setDebug(true);
            LoopFuture<String> failed = loop.createFuture();
            RuntimeException boom = new IllegalStateException("boom");
            failed.setException(boom);
            loop.runUntilComplete(() -> {
                for (int i = 0; i < 3; i++) {
                    catchThrowable(() -> Async.await(failed));
                }
                return null;
            });
            assertThat(boom.getSuppressed()).hasSize(1);
        }
    }
}
