package dev.loopharness.benchmarks;

import dev.loopharness.Coroutine;
import dev.loopharness.EventLoop;
import dev.loopharness.EventLoops;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Target 5: the life of a loop for one trivial coroutine: {@code EventLoops.newEventLoop()}, {@code
 * runUntilComplete(() -> 1)}, {@code close()}. Sampled per invocation; the report takes the median.
 *
 * <p>{@link #eventLoopsRun} is the same through {@code EventLoops.run(() -> 1)} (asyncio.run's shutdown sequence
 * included), for information. Baselines: a single-thread {@link ScheduledExecutorService} made, given one
 * trivial task, waited on, shut down and awaited, its thread joined; a platform thread started and joined; a
 * virtual thread started and joined (JDK 21+ only). For comparison, without a target: Netty's {@link
 * DefaultEventLoop} the same way, shut down with {@code shutdownGracefully(0, 0, SECONDS)}, and once with its
 * default {@code shutdownGracefully()} (2 s quiet period, single shot).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class LifecycleBenchmark {

    static final Coroutine<Integer> TRIVIAL = () -> 1;

    /** The body of the baseline threads: as trivial as the coroutine. */
    static final class Trivial implements Runnable {
        int result;

        @Override
        public void run() {
            result = 1;
        }
    }

    @Benchmark
    public int loop() {
        EventLoop loop = EventLoops.newEventLoop();
        try {
            return loop.runUntilComplete(TRIVIAL);
        } finally {
            loop.close();
        }
    }

    @Benchmark
    public int eventLoopsRun() {
        return EventLoops.run(TRIVIAL);
    }

    @Benchmark
    public int scheduledExecutor() throws InterruptedException, ExecutionException {
        JoinedThreads threads = new JoinedThreads(Executors.defaultThreadFactory());
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(threads);
        try {
            return executor.submit(TRIVIAL::run).get();
        } finally {
            executor.shutdown();
            awaitAndJoin(executor, threads);
        }
    }

    /**
     * Netty's {@link DefaultEventLoop}, made as its no-argument constructor makes it (threads from a fresh {@link
     * DefaultThreadFactory}), given one trivial task, shut down without a quiet period and awaited.
     */
    @Benchmark
    public int nettyDefaultEventLoop() throws InterruptedException, ExecutionException {
        return nettyOnce(false);
    }

    /**
     * The same with Netty's default {@code shutdownGracefully()}: it waits for a quiet period of 2 s without new
     * tasks before it stops. One invocation takes seconds, so it is timed once per iteration, three times, without
     * warmup: the figure is the quiet period, which no warmup changes.
     */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 0)
    @Measurement(iterations = 3)
    public int nettyDefaultEventLoopQuietPeriod() throws InterruptedException, ExecutionException {
        return nettyOnce(true);
    }

    private static int nettyOnce(boolean quietPeriod) throws InterruptedException, ExecutionException {
        JoinedThreads threads = new JoinedThreads(new DefaultThreadFactory(DefaultEventLoop.class));
        DefaultEventLoop loop = new DefaultEventLoop(threads);
        try {
            return loop.submit(TRIVIAL::run).get();
        } finally {
            if (quietPeriod) {
                loop.shutdownGracefully();
            } else {
                loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            }
            awaitAndJoin(loop, threads);
        }
    }

    private static void awaitAndJoin(ExecutorService executor, JoinedThreads threads) throws InterruptedException {
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("executor did not terminate within 10 s: " + executor);
        }
        threads.joinAll();
    }

    @Benchmark
    public int platformThread() throws InterruptedException {
        Trivial body = new Trivial();
        Thread thread = new Thread(body);
        thread.start();
        thread.join();
        return body.result;
    }

    @State(Scope.Thread)
    public static class VirtualFactory {
        ThreadFactory factory;

        @Setup(Level.Trial)
        public void setUp() {
            factory = VirtualThreads.require();
        }
    }

    @Benchmark
    public int virtualThread(VirtualFactory s) throws InterruptedException {
        Trivial body = new Trivial();
        Thread thread = s.factory.newThread(body);
        thread.start();
        thread.join();
        return body.result;
    }
}
