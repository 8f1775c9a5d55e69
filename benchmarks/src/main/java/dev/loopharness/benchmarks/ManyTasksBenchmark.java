package dev.loopharness.benchmarks;

import dev.loopharness.Async;
import dev.loopharness.EventLoops;
import dev.loopharness.Task;
import dev.loopharness.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
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
 * Target 9 (issue #16, part 3): 10,000 concurrent sleeping tasks. One invocation runs, with {@code
 * EventLoops.run} on a {@link VirtualClock}, a coroutine that creates 10,000 tasks, each of which sleeps one
 * second of loop time and returns; the coroutine awaits them all and checks that one second passed. Every task
 * suspends once, so all 10,000 are alive at the same time. The figure on JDK 17 is compared with the same
 * benchmark on JDK 25 (virtual threads), run by the same script: within 3 times.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class ManyTasksBenchmark {

    static final int TASKS = 10_000;

    @Benchmark
    public long tenThousandSleepingTasks() {
        VirtualClock clock = new VirtualClock();
        return EventLoops.run(clock, () -> {
            long start = Async.loop().time();
            List<Task<Integer>> tasks = new ArrayList<>(TASKS);
            for (int i = 0; i < TASKS; i++) {
                tasks.add(Async.createTask(() -> {
                    Async.sleep(Duration.ofSeconds(1));
                    return 1;
                }));
            }
            long sum = 0;
            for (Task<Integer> task : tasks) {
                sum += Async.await(task);
            }
            long took = Async.loop().time() - start;
            if (sum != TASKS || took != TimeUnit.SECONDS.toNanos(1)) {
                throw new IllegalStateException("sum " + sum + ", loop time " + took + " ns");
            }
            return sum;
        });
    }
}
