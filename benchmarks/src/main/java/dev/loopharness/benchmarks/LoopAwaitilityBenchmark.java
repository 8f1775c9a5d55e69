package dev.loopharness.benchmarks;

import dev.loopharness.Async;
import dev.loopharness.EventLoops;
import dev.loopharness.VirtualClock;
import dev.loopharness.awaitility.LoopAwaitility;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue #15, part 3: the real-time cost of {@code LoopAwaitility} per hour of loop time. One invocation runs, with
 * {@code EventLoops.run} on a fresh {@link VirtualClock}, a coroutine that arms a timer an hour ahead which sets a
 * flag, and waits for the flag with {@code LoopAwaitility.await().atMost(2 h).until(...)} at the default poll
 * interval (100 ms of loop time). The baseline waits for the same timer with {@code Async.sleep(1 h)}: what the
 * loop itself has to do in that hour.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class LoopAwaitilityBenchmark {

    private static final Duration HOUR = Duration.ofHours(1);

    @Benchmark
    public long loopAwaitilityHour() {
        return EventLoops.run(new VirtualClock(), () -> {
            boolean[] flag = new boolean[1];
            Async.loop().callLater(HOUR, () -> flag[0] = true);
            LoopAwaitility.await().atMost(HOUR.multipliedBy(2)).until(() -> flag[0]);
            return atLeastAnHour(Async.loop().time());
        });
    }

    @Benchmark
    public long asyncSleepHour() {
        return EventLoops.run(new VirtualClock(), () -> {
            boolean[] flag = new boolean[1];
            Async.loop().callLater(HOUR, () -> flag[0] = true);
            Async.sleep(HOUR);
            return atLeastAnHour(Async.loop().time());
        });
    }

    /** Fails the invocation unless at least an hour of loop time passed. */
    static long atLeastAnHour(long nanos) {
        if (nanos < HOUR.toNanos()) {
            throw new IllegalStateException("expected an hour of loop time, got " + Duration.ofNanos(nanos));
        }
        return nanos;
    }
}
