package dev.loopharness.benchmarks;

import dev.loopharness.EventLoop;
import dev.loopharness.EventLoops;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Target 2: {@code callSoonThreadsafe} from a foreign thread, per callback. The JMH thread is the producer: it
 * posts {@value #CALLBACKS} no-op callbacks to a loop that runs on its own thread in {@code runForever}, the
 * last of which bumps a counter, and waits (spinning) until the counter says the loop ran them all. So the figure
 * is producer-to-consumer throughput including the loop's wake-up and the running of every callback.
 *
 * <p>Baselines, same shape, same producer, same code ({@link #batch}): a {@link ConcurrentLinkedQueue} drained by
 * a consumer thread that spins briefly and then parks (woken by the producer, as the loop is), a {@link
 * java.util.concurrent.ScheduledThreadPoolExecutor} with one thread, and, for comparison without a target,
 * Netty's {@code DefaultEventLoop} and its NIO event loop ({@code execute}; see {@link SingleThreadExecutors}).
 *
 * <p>Diagnostics, no second thread: {@link #loopSameThreadFloor} posts the same callbacks with {@code
 * callSoonThreadsafe} to a loop that is not running and then runs it on the same thread; {@link
 * #queueSameThreadFloor} offers them to a {@link ConcurrentLinkedQueue} and polls and runs them. The distance
 * between these and the figures above is what crossing threads costs on the machine.
 *
 * <p>A consumer that makes no progress for a second while work is queued has missed a wake-up: the producer
 * posts one more no-op to wake it, and counts a {@code stalls} event (a secondary metric in the results), so
 * that a lost wake-up shows in the figures instead of hanging the run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ThreadsafeBenchmark {

    static final int CALLBACKS = 10_000;

    static final Runnable NO_OP = () -> {};

    /** Secondary metric: how many times per iteration the producer had to wake a stalled consumer. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Stalls {
        public long stalls;

        @Setup(Level.Iteration)
        public void reset() {
            stalls = 0;
        }
    }

    @State(Scope.Thread)
    public static class QueueConsumer extends SingleThreadExecutors.OnItsThread {
        static final int SPINS = 1_000;

        final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
        volatile boolean parked;
        volatile boolean stopped;
        Thread consumer;

        @Setup(Level.Trial)
        public void setUp() {
            consumer = new Thread(this::drain, "clq-consumer");
            consumer.setDaemon(true);
            consumer.start();
        }

        private void drain() {
            ConcurrentLinkedQueue<Runnable> q = queue;
            int idle = 0;
            while (!stopped) {
                Runnable r = q.poll();
                if (r != null) {
                    r.run();
                    idle = 0;
                } else if (++idle < SPINS) {
                    Thread.onSpinWait();
                } else {
                    parked = true;
                    if (q.isEmpty() && !stopped) {
                        LockSupport.park(this);
                    }
                    parked = false;
                    idle = 0;
                }
            }
        }

        @Override
        Object post(Runnable r) {
            queue.offer(r);
            if (parked) {
                LockSupport.unpark(consumer);
            }
            return null;
        }

        @Override
        Object postInside(Runnable r) {
            queue.offer(r);
            return null;
        }

        @Override
        void shutDown() throws InterruptedException {
            stopped = true;
            LockSupport.unpark(consumer);
            consumer.join();
        }
    }

    /**
     * The measured work, the same for every consumer: {@value #CALLBACKS} submissions from this thread, the last
     * of which marks the batch done, then a wait until the consumer has run them all.
     */
    private static void batch(SingleThreadExecutors.OnItsThread s, Stalls stalls, Blackhole bh) {
        for (int i = 1; i < CALLBACKS; i++) {
            bh.consume(s.post(NO_OP));
        }
        bh.consume(s.post(s.finish));
        stalls.stalls += Await.atLeast(s::batchesDone, ++s.batchesPosted, () -> s.post(NO_OP));
    }

    @Benchmark
    @OperationsPerInvocation(CALLBACKS)
    public void loopCallSoonThreadsafe(SingleThreadExecutors.Loop s, Stalls stalls, Blackhole bh) {
        batch(s, stalls, bh);
    }

    @State(Scope.Thread)
    public static class IdleLoop {
        EventLoop loop;

        @Setup(Level.Trial)
        public void setUp() {
            loop = EventLoops.newEventLoop();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            loop.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(CALLBACKS)
    public void loopSameThreadFloor(IdleLoop s, Blackhole bh) {
        EventLoop loop = s.loop;
        for (int i = 1; i < CALLBACKS; i++) {
            bh.consume(loop.callSoonThreadsafe(NO_OP));
        }
        loop.stop();
        loop.runForever();
    }

    @Benchmark
    @OperationsPerInvocation(CALLBACKS)
    public void queueSameThreadFloor(Blackhole bh) {
        ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
        for (int i = 1; i < CALLBACKS; i++) {
            bh.consume(queue.offer(NO_OP));
        }
        Runnable r;
        while ((r = queue.poll()) != null) {
            r.run();
        }
    }

    @Benchmark
    @OperationsPerInvocation(CALLBACKS)
    public void concurrentLinkedQueue(QueueConsumer s, Stalls stalls, Blackhole bh) {
        batch(s, stalls, bh);
    }

    @Benchmark
    @OperationsPerInvocation(CALLBACKS)
    public void scheduledExecutor(SingleThreadExecutors.Scheduled s, Stalls stalls, Blackhole bh) {
        batch(s, stalls, bh);
    }

    @Benchmark
    @OperationsPerInvocation(CALLBACKS)
    public void nettyDefaultEventLoop(SingleThreadExecutors.NettyDefault s, Stalls stalls, Blackhole bh) {
        batch(s, stalls, bh);
    }

    @Benchmark
    @OperationsPerInvocation(CALLBACKS)
    public void nettyNioEventLoop(SingleThreadExecutors.NettyNio s, Stalls stalls, Blackhole bh) {
        batch(s, stalls, bh);
    }
}
