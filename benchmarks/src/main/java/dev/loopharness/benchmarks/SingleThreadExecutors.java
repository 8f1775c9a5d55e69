package dev.loopharness.benchmarks;

import dev.loopharness.EventLoop;
import dev.loopharness.EventLoops;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The single-thread executors that the callback benchmarks compare, each running on a thread of its own: the
 * loop in {@code runForever}, Netty's {@link DefaultEventLoop}, a Netty NIO event loop and a {@link
 * ScheduledThreadPoolExecutor} with one thread. Each is made and started once per trial, and shut down with its
 * thread joined in {@code @TearDown}.
 *
 * <p>Every one takes callbacks in the same two ways: {@link OnItsThread#post} from a foreign thread (the JMH
 * thread), {@link OnItsThread#postInside} from a callback that the executor itself is running. A batch ends
 * with {@link OnItsThread#finish}, which bumps a counter the producer waits on.
 */
public final class SingleThreadExecutors {

    private SingleThreadExecutors() {}

    /** An executor with its own thread, and the batch counter that its last callback bumps. */
    @State(Scope.Thread)
    public abstract static class OnItsThread {
        volatile long batchesDone;
        long batchesPosted;
        final Runnable finish = () -> batchesDone++;

        long batchesDone() {
            return batchesDone;
        }

        /**
         * Submits from a foreign thread.
         *
         * @return what the submission returns (the loop's handle), or {@code null} where it returns nothing
         */
        abstract Object post(Runnable callback);

        /** Submits from the executor's own thread; same return as {@link #post}. */
        abstract Object postInside(Runnable callback);

        /** Stops the executor and joins its thread. */
        abstract void shutDown() throws InterruptedException;

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            shutDown();
        }
    }

    /** The loop, in {@code runForever} on a platform thread: {@code callSoonThreadsafe} and {@code callSoon}. */
    public static class Loop extends OnItsThread {
        private final JoinedThreads threads = JoinedThreads.daemon("loop-runner");
        EventLoop loop;

        @Setup(Level.Trial)
        public void setUp() {
            loop = EventLoops.newEventLoop();
            threads.newThread(loop::runForever).start();
            while (!loop.isRunning()) {
                Thread.onSpinWait();
            }
        }

        @Override
        Object post(Runnable callback) {
            return loop.callSoonThreadsafe(callback);
        }

        @Override
        Object postInside(Runnable callback) {
            return loop.callSoon(callback);
        }

        @Override
        void shutDown() throws InterruptedException {
            EventLoop l = loop;
            l.callSoonThreadsafe(l::stop);
            threads.joinAll();
            l.close();
        }
    }

    /** A {@link java.util.concurrent.Executor}: {@code execute} from either side. */
    abstract static class Executing extends OnItsThread {
        final JoinedThreads threads;
        Executor executor;

        Executing(JoinedThreads threads) {
            this.threads = threads;
        }

        @Override
        Object post(Runnable callback) {
            executor.execute(callback);
            return null;
        }

        @Override
        Object postInside(Runnable callback) {
            executor.execute(callback);
            return null;
        }
    }

    /** {@code ScheduledThreadPoolExecutor(1)}, its thread started in setup. */
    public static class Scheduled extends Executing {
        private ScheduledThreadPoolExecutor pool;

        public Scheduled() {
            super(JoinedThreads.daemon("executor"));
        }

        @Setup(Level.Trial)
        public void setUp() {
            pool = new ScheduledThreadPoolExecutor(1, threads);
            pool.prestartAllCoreThreads();
            executor = pool;
        }

        @Override
        void shutDown() throws InterruptedException {
            pool.shutdown();
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the ScheduledThreadPoolExecutor did not terminate within 10 s");
            }
            threads.joinAll();
        }
    }

    /** A Netty event loop: made by the subclass, its thread started in setup, shut down without a quiet period. */
    abstract static class Netty extends Executing {
        private EventExecutorGroup group;

        /** Threads from Netty's own factory (FastThreadLocalThread), as its event loops make them by default. */
        Netty() {
            super(new JoinedThreads(new DefaultThreadFactory("netty-loop", true)));
        }

        abstract EventExecutorGroup make(ThreadFactory factory);

        @Setup(Level.Trial)
        public void setUp() throws InterruptedException, ExecutionException {
            group = make(threads);
            executor = group.next();
            group.next().submit(() -> {}).get();
        }

        @Override
        void shutDown() throws InterruptedException {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            if (!group.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the Netty event loop did not terminate within 10 s");
            }
            threads.joinAll();
        }
    }

    /** Netty's {@link DefaultEventLoop}: a task queue and a thread, no I/O. */
    public static class NettyDefault extends Netty {
        @Override
        EventExecutorGroup make(ThreadFactory factory) {
            return new DefaultEventLoop(factory);
        }
    }

    /** Netty's NIO event loop as 4.2 makes it: {@code MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory())}. */
    public static class NettyNio extends Netty {
        @Override
        EventExecutorGroup make(ThreadFactory factory) {
            return new MultiThreadIoEventLoopGroup(1, factory, NioIoHandler.newFactory());
        }
    }
}
