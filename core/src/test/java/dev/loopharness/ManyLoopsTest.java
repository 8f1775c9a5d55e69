package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand loops, each closed with a coroutine suspended in it, leave nothing behind: no thread alive (once
 * the pooled carriers of JDK 17 have been idle for their idle time), and every loop collectable once its owner
 * lets go of it.
 */
class ManyLoopsTest {

    private static final int LOOPS = 10_000;

    @Test
    void tenThousandClosedLoopsLeaveNoThreadAndNoLoopBehind() throws InterruptedException {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        AtomicInteger finallyBlocks = new AtomicInteger();
        List<WeakReference<EventLoop>> sample = new ArrayList<>();
        List<WeakReference<Thread>> taskThreads = new ArrayList<>();
        for (int i = 0; i < LOOPS; i++) {
            EventLoop loop = EventLoops.newEventLoop();
            boolean sampled = i % 100 == 0;
            loop.createTask(() -> {
                if (sampled) {
                    taskThreads.add(new WeakReference<>(Thread.currentThread()));
                }
                try {
                    return Async.await(Async.loop().createFuture());
                } finally {
                    finallyBlocks.incrementAndGet();
                }
            });
            loop.runUntilComplete(() -> {
                Async.sleep(Duration.ZERO);
                return null;
            });
            loop.close();
            if (sampled) {
                sample.add(new WeakReference<>(loop));
            }
        }
        assertThat(finallyBlocks).hasValue(LOOPS);
        // on JDK 17 tasks' threads are pooled carriers, which end once idle for a while: join waits for that
        for (WeakReference<Thread> thread : taskThreads) {
            Thread alive = thread.get();
            if (alive != null) {
                alive.join(60_000);
                assertThat(alive.isAlive()).as("%s is alive", alive).isFalse();
            }
        }
        assertThat(startedAndAlive(before, 30_000))
                .as("threads started by the loops and still alive after 30 s")
                .isEmpty();
        assertThat(collected(sample))
                .as("sampled loops collected after a full GC")
                .isEqualTo(sample.size());
    }

    /** The threads alive now and not in {@code before}, once there are none or {@code boundMillis} have passed. */
    static List<Thread> startedAndAlive(Set<Thread> before, long boundMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + boundMillis;
        while (true) {
            Set<Thread> after = new HashSet<>(Thread.getAllStackTraces().keySet());
            after.removeAll(before);
            List<Thread> alive = after.stream().filter(Thread::isAlive).collect(Collectors.toList());
            if (alive.isEmpty() || System.currentTimeMillis() > deadline) {
                return alive;
            }
            Thread.sleep(20);
        }
    }

    /** Asks for full collections until every sampled loop is gone, or twenty have not sufficed. */
    private static int collected(List<WeakReference<EventLoop>> sample) throws InterruptedException {
        int gone = 0;
        for (int attempt = 0; attempt < 20 && gone < sample.size(); attempt++) {
            System.gc();
            Thread.sleep(50);
            gone = (int)
                    sample.stream().filter(reference -> reference.get() == null).count();
        }
        return gone;
    }
}
