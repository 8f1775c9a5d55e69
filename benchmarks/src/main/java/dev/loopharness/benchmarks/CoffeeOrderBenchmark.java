package dev.loopharness.benchmarks;

import dev.loopharness.Async;
import dev.loopharness.EventLoops;
import dev.loopharness.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Virtual against real time for a test that mostly sleeps: the coffee order of the samples. An Americano takes
 * 3 s and a Latte 5 s ({@code Async.sleep}); {@code Async.gather} makes both at once, so the order takes 5 s of
 * loop time. The same coroutine runs to completion with {@code EventLoops.run} on a loop with a {@link
 * VirtualClock} and on a loop with the real clock. Each invocation checks that the order took exactly 5 s of
 * loop time (virtual) or at least 5 s (real), so a broken clock cannot produce a fast figure.
 *
 * <p>Single shot: an iteration is one order. The real one costs 5 s, so it runs once, without warmup: its figure
 * is the 5 s of sleeping, which warmup does not change.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
public class CoffeeOrderBenchmark {

    static final Duration AMERICANO = Duration.ofSeconds(3);
    static final Duration LATTE = Duration.ofSeconds(5);

    static String brew(String drink, Duration time) {
        Async.sleep(time);
        return drink;
    }

    /** The order, on the running loop; returns the loop time it took. */
    static Duration order() {
        long start = Async.loop().time();
        List<String> drinks = Async.gather(() -> brew("Americano", AMERICANO), () -> brew("Latte", LATTE));
        if (drinks.size() != 2) {
            throw new IllegalStateException("expected two drinks, got " + drinks);
        }
        return Duration.ofNanos(Async.loop().time() - start);
    }

    private static Duration checked(Duration took, boolean exact) {
        if (exact ? !took.equals(LATTE) : took.compareTo(LATTE) < 0) {
            throw new IllegalStateException(
                    "the order took " + took + " of loop time; expected " + (exact ? "" : "at least ") + LATTE);
        }
        return took;
    }

    @Benchmark
    @Warmup(iterations = 10)
    @Measurement(iterations = 10)
    public Duration virtualClock() {
        return checked(EventLoops.run(new VirtualClock(), CoffeeOrderBenchmark::order), true);
    }

    @Benchmark
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public Duration realClock() {
        return checked(EventLoops.run(CoffeeOrderBenchmark::order), false);
    }
}
