package dev.loopharness.benchmarks;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The floor for a callback queue: add 1,000 no-op {@link Runnable}s to an {@link ArrayDeque}, then poll
 * and run each. The loop's own {@code callSoon} cost is read against this number.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ArrayDequeBaseline {
    private static final int CALLBACKS = 1_000;

    private ArrayDeque<Runnable> queue;
    private Runnable[] callbacks;

    /** Creates the benchmark state; JMH calls {@link #setUp()} before measuring. */
    public ArrayDequeBaseline() {}

    /** Allocates the queue at its working size and 1,000 distinct no-op callbacks. */
    @Setup
    public void setUp() {
        queue = new ArrayDeque<>(CALLBACKS);
        callbacks = new Runnable[CALLBACKS];
        for (int i = 0; i < CALLBACKS; i++) {
            callbacks[i] = new NoOp();
        }
    }

    private static final class NoOp implements Runnable {
        @Override
        public void run() {}
    }

    /**
     * One operation: one callback added, polled and run.
     *
     * @param bh sink for each polled callback, so neither the queue nor the calls are optimised away
     */
    @Benchmark
    @OperationsPerInvocation(CALLBACKS)
    public void addPollRun(Blackhole bh) {
        ArrayDeque<Runnable> q = queue;
        for (Runnable r : callbacks) {
            q.add(r);
        }
        Runnable r;
        while ((r = q.poll()) != null) {
            r.run();
            bh.consume(r);
        }
    }
}
