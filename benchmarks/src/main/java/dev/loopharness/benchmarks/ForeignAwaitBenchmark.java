package dev.loopharness.benchmarks;

import dev.loopharness.Async;
import dev.loopharness.EventLoops;
import dev.loopharness.LoopFuture;
import dev.loopharness.VirtualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue #15, part 2: the real-time cost of awaiting a foreign stage that the loop settles itself, in virtual
 * time. One invocation runs, with {@code EventLoops.run} on a fresh {@link VirtualClock}, a coroutine that retries
 * {@value #AWAITS} times, 90 s of loop time apart (an hour in all): each retry arms a {@code callLater} that
 * completes a plain {@link CompletableFuture} and awaits it with {@code Async.await}. The baseline does the same
 * with a future of the loop ({@code createFuture()}), which the loop has always known it settles itself.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ForeignAwaitBenchmark {

    static final int AWAITS = 40;
    private static final Duration APART = Duration.ofSeconds(90);

    @Benchmark
    @OperationsPerInvocation(AWAITS)
    public long foreignStage() {
        return EventLoops.run(new VirtualClock(), () -> {
            for (int i = 0; i < AWAITS; i++) {
                CompletableFuture<Integer> retry = new CompletableFuture<>();
                int attempt = i;
                Async.loop().callLater(APART, () -> retry.complete(attempt));
                Async.await(retry);
            }
            return checkedHour(Async.loop().time());
        });
    }

    @Benchmark
    @OperationsPerInvocation(AWAITS)
    public long loopFuture() {
        return EventLoops.run(new VirtualClock(), () -> {
            for (int i = 0; i < AWAITS; i++) {
                LoopFuture<Integer> retry = Async.loop().createFuture();
                int attempt = i;
                Async.loop().callLater(APART, () -> retry.setResult(attempt));
                Async.await(retry);
            }
            return checkedHour(Async.loop().time());
        });
    }

    /** Fails the invocation unless the retries took exactly an hour of loop time. */
    static long checkedHour(long nanos) {
        if (nanos != Duration.ofHours(1).toNanos()) {
            throw new IllegalStateException("expected an hour of loop time, got " + Duration.ofNanos(nanos));
        }
        return nanos;
    }
}
