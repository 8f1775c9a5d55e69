package dev.loopharness.benchmarks;

import dev.loopharness.EventLoop;
import dev.loopharness.EventLoops;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
 * <p>Baselines, same shape, same producer: a {@link ConcurrentLinkedQueue} drained by a consumer thread that
 * spins briefly and then parks (woken by the producer, as the loop is), and a {@link
 * ScheduledThreadPoolExecutor} with one thread.
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
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
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

    /** Counts the batches the consumer finished; only the consumer writes it. */
    @State(Scope.Thread)
    public abstract static class Consumer {
        volatile long batchesDone;
        long batchesPosted;
        final Runnable finish = () -> batchesDone++;

        long batchesDone() {
            return batchesDone;
        }
    }

    @State(Scope.Thread)
    public static class LoopConsumer extends Consumer {
        EventLoop loop;
        Thread runner;

        @Setup(Level.Trial)
        public void setUp() {
            loop = EventLoops.newEventLoop();
            EventLoop l = loop;
            runner = new Thread(l::runForever, "loop-runner");
            runner.setDaemon(true);
            runner.start();
            while (!l.isRunning()) {
                Thread.onSpinWait();
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            EventLoop l = loop;
            l.callSoonThreadsafe(l::stop);
            runner.join();
            l.close();
        }
    }

    @State(Scope.Thread)
    public static class QueueConsumer extends Consumer {
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

        void post(Runnable r) {
            queue.offer(r);
            if (parked) {
                LockSupport.unpark(consumer);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            stopped = true;
            LockSupport.unpark(consumer);
            consumer.join();
        }
    }

    @State(Scope.Thread)
    public static class ExecutorConsumer extends Consumer {
        ScheduledThreadPoolExecutor executor;

        @Setup(Level.Trial)
        public void setUp() {
            executor = new ScheduledThreadPoolExecutor(1);
            executor.prestartAllCoreThreads();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            executor.shutdown();
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("executor did not terminate");
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(CALLBACKS)
    public void loopCallSoonThreadsafe(LoopConsumer s, Stalls stalls, Blackhole bh) {
        EventLoop loop = s.loop;
        for (int i = 1; i < CALLBACKS; i++) {
            bh.consume(loop.callSoonThreadsafe(NO_OP));
        }
        loop.callSoonThreadsafe(s.finish);
        stalls.stalls += Await.atLeast(s::batchesDone, ++s.batchesPosted, () -> loop.callSoonThreadsafe(NO_OP));
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
    public void concurrentLinkedQueue(QueueConsumer s, Stalls stalls) {
        for (int i = 1; i < CALLBACKS; i++) {
            s.post(NO_OP);
        }
        s.post(s.finish);
        stalls.stalls += Await.atLeast(s::batchesDone, ++s.batchesPosted, () -> s.post(NO_OP));
    }

    @Benchmark
    @OperationsPerInvocation(CALLBACKS)
    public void scheduledExecutor(ExecutorConsumer s, Stalls stalls) {
        ScheduledThreadPoolExecutor executor = s.executor;
        for (int i = 1; i < CALLBACKS; i++) {
            executor.execute(NO_OP);
        }
        executor.execute(s.finish);
        stalls.stalls += Await.atLeast(s::batchesDone, ++s.batchesPosted, () -> executor.execute(NO_OP));
    }
}
