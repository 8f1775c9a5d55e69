package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code close()} releases the threads of the loop's default executor. Those threads would also end by
 * themselves after five idle seconds; the test tells a close that shuts the executor down from one that leaves
 * the threads to idle out by waiting for them at most three seconds, while a shut-down executor's threads end
 * within microseconds of their last work (no thread waits for more work once the executor is shut down).
 */
class DefaultExecutorCloseTest {

    private static final long PATIENCE_SECONDS = 30;

    /** Shorter than the executor's five-second keep-alive, and generous for a thread that ends at once. */
    private static final Duration SHORTER_THAN_THE_KEEP_ALIVE = Duration.ofSeconds(3);

    private static final int WORKERS = 3;

    @Test
    void closeEndsTheDefaultExecutorsThreads() throws Exception {
        Set<Thread> workers = ConcurrentHashMap.newKeySet();
        CountDownLatch allStarted = new CountDownLatch(WORKERS);
        CountDownLatch release = new CountDownLatch(1);
        EventLoop loop = EventLoops.newEventLoop();
        for (int i = 0; i < WORKERS; i++) {
            loop.runInExecutor(null, () -> {
                workers.add(Thread.currentThread());
                allStarted.countDown();
                assertThat(release.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
                return Thread.currentThread().getName();
            });
        }
        assertThat(allStarted.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
        loop.runUntilComplete(() -> {
            Async.sleep(Duration.ZERO);
            return null;
        });

        loop.close(); // the workers are busy: the executor can only refuse new work and let them finish
        release.countDown();

        assertThat(workers).hasSize(WORKERS);
        for (Thread worker : workers) {
            worker.join(SHORTER_THAN_THE_KEEP_ALIVE.toMillis());
            assertThat(worker.isAlive())
                    .as("%s alive %s after its work ended and the loop closed", worker, SHORTER_THAN_THE_KEEP_ALIVE)
                    .isFalse();
        }
    }

    @Test
    void closeEndsIdleDefaultExecutorThreads() throws Exception {
        EventLoop loop = EventLoops.newEventLoop();
        String name = loop.runUntilComplete(() -> Async.await(
                Async.loop().runInExecutor(null, () -> Thread.currentThread().getName())));
        Thread worker = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals(name))
                .findFirst()
                .orElseThrow();

        loop.close();

        worker.join(SHORTER_THAN_THE_KEEP_ALIVE.toMillis());
        assertThat(worker.isAlive())
                .as("%s alive %s after the loop closed", worker, SHORTER_THAN_THE_KEEP_ALIVE)
                .isFalse();
    }
}
