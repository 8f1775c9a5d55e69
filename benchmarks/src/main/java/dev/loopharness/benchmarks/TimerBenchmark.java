package dev.loopharness.benchmarks;

import dev.loopharness.EventLoop;
import dev.loopharness.EventLoops;
import dev.loopharness.VirtualClock;
import java.time.Duration;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
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
 * Target 3: 100,000 timers in virtual time, per timer. One invocation makes a loop on a {@link VirtualClock},
 * schedules {@value #TIMERS} callbacks with {@code callLater} at random delays (fixed seed; whole milliseconds
 * within a minute, so many share a deadline and their order rests on the scheduling sequence), runs the loop
 * until the last has fired, and closes it. The baseline does the bookkeeping alone: a {@link PriorityQueue} of
 * (deadline, sequence) entries, all added, then all polled and run in order.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class TimerBenchmark {

    static final int TIMERS = 100_000;

    @State(Scope.Benchmark)
    public static class Deadlines {
        Duration[] delays;
        long[] delayNanos;

        @Setup(Level.Trial)
        public void setUp() {
            SplittableRandom random = new SplittableRandom(20_240_601L);
            delays = new Duration[TIMERS];
            delayNanos = new long[TIMERS];
            for (int i = 0; i < TIMERS; i++) {
                long millis = 1 + random.nextLong(60_000);
                delays[i] = Duration.ofMillis(millis);
                delayNanos[i] = TimeUnit.MILLISECONDS.toNanos(millis);
            }
        }
    }

    /** Counts the timers that fired; the last one stops the loop. */
    static final class Fired implements Runnable {
        final EventLoop loop;
        final int expected;
        int count;

        Fired(EventLoop loop, int expected) {
            this.loop = loop;
            this.expected = expected;
        }

        @Override
        public void run() {
            if (++count == expected && loop != null) {
                loop.stop();
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(TIMERS)
    public int loopVirtualTime(Deadlines d) {
        EventLoop loop = EventLoops.newEventLoop(new VirtualClock());
        try {
            Fired fired = new Fired(loop, TIMERS);
            for (Duration delay : d.delays) {
                loop.callLater(delay, fired);
            }
            loop.runForever();
            if (fired.count != TIMERS) {
                throw new IllegalStateException(fired.count + " of " + TIMERS + " timers fired");
            }
            return fired.count;
        } finally {
            loop.close();
        }
    }

    static final class Entry implements Comparable<Entry> {
        final long deadline;
        final long sequence;
        final Runnable callback;

        Entry(long deadline, long sequence, Runnable callback) {
            this.deadline = deadline;
            this.sequence = sequence;
            this.callback = callback;
        }

        @Override
        public int compareTo(Entry other) {
            int byDeadline = Long.compare(deadline, other.deadline);
            return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
        }
    }

    @Benchmark
    @OperationsPerInvocation(TIMERS)
    public long priorityQueue(Deadlines d) {
        PriorityQueue<Entry> queue = new PriorityQueue<>();
        Fired fired = new Fired(null, TIMERS);
        long now = 0;
        long sequence = 0;
        for (long delay : d.delayNanos) {
            queue.add(new Entry(now + delay, sequence++, fired));
        }
        Entry entry;
        while ((entry = queue.poll()) != null) {
            now = entry.deadline;
            entry.callback.run();
        }
        if (fired.count != TIMERS) {
            throw new IllegalStateException(fired.count + " of " + TIMERS + " entries ran");
        }
        return now;
    }
}
