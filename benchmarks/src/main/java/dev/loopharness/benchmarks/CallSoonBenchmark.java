package dev.loopharness.benchmarks;

import dev.loopharness.EventLoop;
import dev.loopharness.EventLoops;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Target 1: {@code callSoon} and running the callback, inside the loop, per callback. One invocation is one
 * loop run: a callback scheduled before {@code runForever} schedules 1,000 no-op callbacks with {@code callSoon}
 * and then {@code stop}; the loop runs them all in its next iteration and returns. The baseline is {@link
 * ArrayDequeBaseline#addPollRun}: the same 1,000 callbacks through a bare {@link java.util.ArrayDeque}.
 *
 * <p>{@link #emptyRun} is a diagnostic: the fixed cost of one {@code runForever} that runs only {@code stop},
 * which the per-callback figure carries divided by 1,000.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class CallSoonBenchmark {

    static final int CALLBACKS = 1_000;

    @State(Scope.Thread)
    public static class LoopState {
        EventLoop loop;
        Runnable[] callbacks;
        Runnable batch;
        Runnable stop;
        Blackhole sink;

        @Setup(Level.Trial)
        public void setUp() {
            loop = EventLoops.newEventLoop();
            callbacks = new Runnable[CALLBACKS];
            for (int i = 0; i < CALLBACKS; i++) {
                callbacks[i] = new NoOp();
            }
            EventLoop l = loop;
            Runnable[] cbs = callbacks;
            stop = l::stop;
            batch = () -> {
                Blackhole bh = sink;
                for (Runnable cb : cbs) {
                    bh.consume(l.callSoon(cb));
                }
                l.callSoon(stop);
            };
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            loop.close();
        }
    }

    static final class NoOp implements Runnable {
        @Override
        public void run() {}
    }

    @Benchmark
    @OperationsPerInvocation(CALLBACKS)
    public void callSoonAndRun(LoopState s, Blackhole bh) {
        s.sink = bh;
        s.loop.callSoon(s.batch);
        s.loop.runForever();
    }

    @Benchmark
    public void emptyRun(LoopState s) {
        s.loop.callSoon(s.stop);
        s.loop.runForever();
    }
}
