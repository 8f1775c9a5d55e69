package dev.loopharness.samples.examples;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.EventLoops;
import dev.loopharness.LoopFuture;
import dev.loopharness.VirtualClock;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * The price ticker's backoff in virtual time, for the report: a scripted feed refuses the first five connects,
 * accepts the sixth and drops it two seconds later, refuses once more, and then stays open. Half a minute of
 * loop time passes in milliseconds. (The report runs without the WebSocket server the tests use, so it shows
 * the reconnect logic alone.)
 */
public final class PriceTickerInVirtualTime {

    /** The waits: 1 s, doubling to at most 8 s. */
    static final PriceTicker.Backoff BACKOFF = new PriceTicker.Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8));

    /**
     * What happened.
     *
     * @param attemptMillis when each connect was attempted, in milliseconds of loop time from the start
     * @param connects how many connects succeeded
     * @param loopMillis the loop time the run took, in milliseconds
     * @param realMillis the real time it took, in milliseconds
     */
    public record Run(List<Long> attemptMillis, int connects, long loopMillis, long realMillis) {

        /**
         * One line for the report.
         *
         * @return the line
         */
        public String describe() {
            return "PriceTicker, backoff 1 s doubling to 8 s, against a feed that refuses 5 connects, accepts one and"
                    + " drops it 2 s later, refuses once more and accepts again: connects attempted at "
                    + attemptMillis.stream().map(millis -> millis / 1000 + " s").collect(Collectors.joining(", "))
                    + "; " + connects + " succeeded; " + loopMillis / 1000 + " s of loop time in " + realMillis
                    + " ms of real time";
        }
    }

    private PriceTickerInVirtualTime() {}

    /**
     * Runs the ticker for 30 s of virtual time against the scripted feed.
     *
     * @return what happened
     */
    public static Run run() {
        long realStart = System.nanoTime();
        List<Long> attempts = new ArrayList<>();
        int[] connects = new int[1];
        long loopNanos = EventLoops.run(new VirtualClock(), () -> {
            EventLoop loop = Async.loop();
            long start = loop.time();
            PriceFeed feed = onMessage -> {
                attempts.add(Duration.ofNanos(loop.time() - start).toMillis());
                return answer(loop, attempts.size());
            };
            try (PriceTicker ticker = PriceTicker.start(loop, feed, BACKOFF)) {
                Async.sleep(Duration.ofSeconds(30));
                connects[0] = ticker.connects();
            }
            return loop.time() - start;
        });
        return new Run(
                attempts,
                connects[0],
                Duration.ofNanos(loopNanos).toMillis(),
                Duration.ofNanos(System.nanoTime() - realStart).toMillis());
    }

    /** The scripted feed's answer to its n-th connect (from 1). */
    private static CompletionStage<PriceFeed.Connection> answer(EventLoop loop, int attempt) {
        LoopFuture<PriceFeed.Connection> answer = loop.createFuture();
        if (attempt == 6 || attempt == 8) {
            LoopFuture<Void> ended = loop.createFuture();
            if (attempt == 6) {
                loop.callLater(Duration.ofSeconds(2), () -> ended.setResult(null)); // the server drops it
            }
            answer.setResult(new ScriptedConnection(ended));
        } else {
            answer.setException(new ConnectException("Connection refused (scripted, attempt " + attempt + ")"));
        }
        return answer;
    }

    /** A connection of the scripted feed: it sends nothing, and ends when {@code ended} completes. */
    private record ScriptedConnection(LoopFuture<Void> ended) implements PriceFeed.Connection {

        @Override
        public CompletionStage<Void> closed() {
            return ended;
        }

        @Override
        public CompletionStage<Void> close() {
            return CompletableFuture.completedFuture(null); // the scripted server answers at once
        }

        @Override
        public void abort() {
            ended.cancel();
        }
    }
}
