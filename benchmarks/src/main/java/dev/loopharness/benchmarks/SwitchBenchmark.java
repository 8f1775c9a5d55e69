package dev.loopharness.benchmarks;

import dev.loopharness.Async;
import dev.loopharness.Coroutine;
import dev.loopharness.EventLoop;
import dev.loopharness.EventLoops;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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

/**
 * Target 4: a coroutine switch, {@code Async.sleep(Duration.ZERO)}: the task hands control to the loop, the loop
 * runs its ready queue (the task's step) and hands control back. One invocation is one {@code
 * runUntilComplete} of a coroutine that sleeps {@value #SWITCHES} times, on a loop made once per trial; each
 * sample is that invocation's time divided by {@value #SWITCHES}, and the report takes the median sample.
 *
 * <p>Baselines, {@value #SWITCHES} round trips per invocation: two platform threads handing a baton back and
 * forth with {@link LockSupport#park}/{@link LockSupport#unpark} (no spinning), and the same between two virtual
 * threads made per invocation, as the loop makes its driver and task threads per run (JDK 21+ only).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class SwitchBenchmark {

    static final int SWITCHES = 10_000;

    static final Coroutine<Integer> SLEEPER = () -> {
        for (int i = 0; i < SWITCHES; i++) {
            Async.sleep(Duration.ZERO);
        }
        return SWITCHES;
    };

    @State(Scope.Thread)
    public static class LoopState {
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
    @OperationsPerInvocation(SWITCHES)
    public int loopSleepZero(LoopState s) {
        return s.loop.runUntilComplete(SLEEPER);
    }

    /** A baton passed between two threads: {@code turn} says who holds it. */
    static final class Baton {
        static final int PING = 0;
        static final int PONG = 1;

        volatile int turn = PING;
        volatile boolean stopped;
        volatile Thread pinger;
        volatile Thread ponger;

        /** Plays {@code rounds} round trips from the pinger's side. */
        void ping(int rounds) {
            for (int i = 0; i < rounds; i++) {
                turn = PONG;
                LockSupport.unpark(ponger);
                while (turn != PING) {
                    LockSupport.park(this);
                }
            }
        }

        /** Answers pings until {@code rounds} are done, or for ever if negative, until stopped. */
        void pong(int rounds) {
            for (int i = 0; rounds < 0 || i < rounds; i++) {
                while (turn != PONG) {
                    if (stopped) {
                        return;
                    }
                    LockSupport.park(this);
                }
                turn = PING;
                LockSupport.unpark(pinger);
            }
        }
    }

    @State(Scope.Thread)
    public static class PlatformPair {
        Baton baton;
        Thread partner;

        @Setup(Level.Trial)
        public void setUp() {
            Baton b = new Baton();
            baton = b;
            b.pinger = Thread.currentThread();
            partner = new Thread(() -> b.pong(-1), "ponger");
            partner.setDaemon(true);
            b.ponger = partner;
            partner.start();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            baton.stopped = true;
            LockSupport.unpark(partner);
            partner.join();
        }
    }

    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public int platformPingPong(PlatformPair s) {
        Baton b = s.baton;
        b.pinger = Thread.currentThread();
        b.ping(SWITCHES);
        return b.turn;
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
    @OperationsPerInvocation(SWITCHES)
    public int virtualPingPong(VirtualFactory s) throws InterruptedException {
        Baton b = new Baton();
        Thread pinger = s.factory.newThread(() -> b.ping(SWITCHES));
        Thread ponger = s.factory.newThread(() -> b.pong(SWITCHES));
        b.pinger = pinger;
        b.ponger = ponger;
        ponger.start();
        pinger.start();
        pinger.join();
        ponger.join();
        return b.turn;
    }
}
