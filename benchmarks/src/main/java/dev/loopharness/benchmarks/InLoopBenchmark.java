package dev.loopharness.benchmarks;

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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Callbacks submitted from inside the executor's own thread, per callback, for the loop and for other
 * single-thread executors, with the same code for each. One invocation: the JMH thread posts one batch
 * callback; on the executor's thread it submits {@value #CALLBACKS} no-op callbacks with the in-thread call
 * ({@code callSoon} for the loop, {@code execute} for the others) and then the one that marks the batch done;
 * the JMH thread waits until the executor has run them all. The fixed cost of the hand-off to and from the
 * executor's thread is shared by the {@value #CALLBACKS} callbacks.
 *
 * <p>The executors (see {@link SingleThreadExecutors}): the loop in {@code runForever} on a thread of its own,
 * Netty's {@code DefaultEventLoop}, a Netty NIO event loop and a {@code ScheduledThreadPoolExecutor(1)}. Row 1
 * ({@link CallSoonBenchmark}) is the loop driven from the calling thread instead, and {@link ArrayDequeBaseline}
 * the floor of a bare queue.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class InLoopBenchmark {

    static final int CALLBACKS = CallSoonBenchmark.CALLBACKS;

    /** The callbacks of one batch: distinct no-op objects, as in row 1 and its baseline. */
    @State(Scope.Thread)
    public static class Callbacks {
        Runnable[] callbacks;
        Object last;

        @Setup(Level.Trial)
        public void setUp() {
            callbacks = new Runnable[CALLBACKS];
            for (int i = 0; i < CALLBACKS; i++) {
                callbacks[i] = new CallSoonBenchmark.NoOp();
            }
        }
    }

    /**
     * The measured work, the same for every executor. What each in-thread submission returns (the loop's
     * handle) is kept in a field that the JMH thread reads after the batch, and returned.
     */
    private static Object batch(SingleThreadExecutors.OnItsThread s, Callbacks c, ThreadsafeBenchmark.Stalls stalls) {
        s.post(() -> {
            Object last = null;
            for (Runnable callback : c.callbacks) {
                last = s.postInside(callback);
            }
            c.last = last;
            s.postInside(s.finish);
        });
        stalls.stalls += Await.atLeast(s::batchesDone, ++s.batchesPosted, () -> s.post(ThreadsafeBenchmark.NO_OP));
        return c.last;
    }

    @Benchmark
    @OperationsPerInvocation(CALLBACKS)
    public Object loop(SingleThreadExecutors.Loop s, Callbacks c, ThreadsafeBenchmark.Stalls stalls) {
        return batch(s, c, stalls);
    }

    @Benchmark
    @OperationsPerInvocation(CALLBACKS)
    public Object nettyDefaultEventLoop(
            SingleThreadExecutors.NettyDefault s, Callbacks c, ThreadsafeBenchmark.Stalls stalls) {
        return batch(s, c, stalls);
    }

    @Benchmark
    @OperationsPerInvocation(CALLBACKS)
    public Object nettyNioEventLoop(SingleThreadExecutors.NettyNio s, Callbacks c, ThreadsafeBenchmark.Stalls stalls) {
        return batch(s, c, stalls);
    }

    @Benchmark
    @OperationsPerInvocation(CALLBACKS)
    public Object scheduledExecutor(SingleThreadExecutors.Scheduled s, Callbacks c, ThreadsafeBenchmark.Stalls stalls) {
        return batch(s, c, stalls);
    }
}
