package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.internal.DefaultEventLoop;
import dev.loopharness.internal.DroppedWork;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Threads submit work to a running loop while it stops and closes at a seeded moment, and every submission is
 * accounted for: it ran, it was refused with an exception, or its handle (or view future) reports it cancelled.
 * Nothing is accepted and silently lost. A few seconds by default; {@code -Dloopharness.stress.rounds=N} runs
 * longer, {@code -Dloopharness.stress.seed=S} replays one seed.
 */
class CloseRaceStressTest {

    private static final int PRODUCERS = 3;
    private static final int MAX_PER_PRODUCER = 500;

    private static void awaitClose(EventLoop loop) {
        while (!loop.isClosed()) {
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void everySubmissionRacingWithCloseRunsIsRefusedOrReportsCancelled() throws InterruptedException {
        int rounds = Integer.getInteger("loopharness.stress.rounds", 200);
        long seed = Long.getLong("loopharness.stress.seed", 0x5EEDL);
        Random seeds = new Random(seed);
        long submissions = 0;
        long refused = 0;
        long cancelled = 0;
        for (int round = 0; round < rounds; round++) {
            Round result = new Round(seeds.nextLong()).run();
            submissions += result.submitted.get();
            refused += result.refused.get();
            cancelled += result.cancelled;
        }
        assertThat(submissions).isPositive();
        // the race was met: some submissions were refused because the loop had closed
        assertThat(refused).isPositive();
        assertThat(cancelled + refused).isLessThanOrEqualTo(submissions);
    }

    /** One loop, producers racing with its close, and the books kept for every submission. */
    private static final class Round {
        private final long seed;
        private final AtomicLong submitted = new AtomicLong();
        private final AtomicLong refused = new AtomicLong();
        private final AtomicInteger callbacksRun = new AtomicInteger();
        private final AtomicInteger executesAccepted = new AtomicInteger();
        private final AtomicInteger executesRun = new AtomicInteger();
        private final AtomicInteger viewExecutesAccepted = new AtomicInteger();
        private final AtomicInteger viewExecutesRun = new AtomicInteger();
        private final List<List<Posted>> posted = new ArrayList<>();
        private final List<List<Future<?>>> viewFutures = new ArrayList<>();
        private long cancelled;

        Round(long seed) {
            this.seed = seed;
        }

        Round run() throws InterruptedException {
            Random random = new Random(seed);
            EventLoop loop = EventLoops.newEventLoop();
            // debug mode walks the stack for each callback's creation site: a wider window between a
            // submission's check of the state and its post, which is where a close could slip in
            loop.setDebug(random.nextBoolean());
            ScheduledExecutorService view = loop.asScheduledExecutorService();
            int stopAfter = random.nextInt(200);
            CountDownLatch started = new CountDownLatch(PRODUCERS);
            List<Thread> producers = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                List<Posted> mine = new ArrayList<>();
                List<Future<?>> myFutures = new ArrayList<>();
                posted.add(mine);
                viewFutures.add(myFutures);
                long producerSeed = random.nextLong();
                Thread producer = new Thread(
                        () -> produce(loop, view, new Random(producerSeed), started, mine, myFutures), "producer-" + p);
                producers.add(producer);
                producer.start();
            }
            started.await();
            loop.callSoon(() -> stopWhen(loop, stopAfter));
            loop.runForever();
            loop.close();
            for (Thread producer : producers) {
                producer.join();
            }
            audit(((DefaultEventLoop) loop).droppedAtClose());
            return this;
        }

        private void stopWhen(EventLoop loop, int stopAfter) {
            if (callbacksRun.get() >= stopAfter) {
                loop.stop();
            } else {
                loop.callSoon(() -> stopWhen(loop, stopAfter));
            }
        }

        private void produce(
                EventLoop loop,
                ScheduledExecutorService view,
                Random random,
                CountDownLatch started,
                List<Posted> mine,
                List<Future<?>> myFutures) {
            started.countDown();
            // bounded, so a round stays short; a producer that reaches the bound waits for the close to refuse it
            for (int count = 0; ; count++) {
                if (count == MAX_PER_PRODUCER) {
                    awaitClose(loop);
                }
                submitted.incrementAndGet();
                try {
                    switch (random.nextInt(4)) {
                        case 0:
                            Posted post = new Posted();
                            post.handle = loop.callSoonThreadsafe(() -> {
                                post.ran = true;
                                callbacksRun.incrementAndGet();
                            });
                            mine.add(post);
                            break;
                        case 1:
                            loop.execute(executesRun::incrementAndGet);
                            executesAccepted.incrementAndGet();
                            break;
                        case 2:
                            myFutures.add(view.submit(callbacksRun::incrementAndGet));
                            break;
                        default:
                            view.execute(viewExecutesRun::incrementAndGet);
                            viewExecutesAccepted.incrementAndGet();
                            break;
                    }
                } catch (EventLoopClosedException | RejectedExecutionException closed) {
                    refused.incrementAndGet();
                    return;
                }
            }
        }

        private void audit(DroppedWork dropped) {
            long accepted = executesAccepted.get() + viewExecutesAccepted.get();
            for (List<Posted> mine : posted) {
                for (Posted post : mine) {
                    accepted++;
                    assertThat(post.ran ^ post.handle.isCancelled())
                            .as(
                                    "seed %d: %s ran (%s) or reports cancelled, not both or neither",
                                    seed, post.handle, post.ran)
                            .isTrue();
                    cancelled += post.handle.isCancelled() ? 1 : 0;
                }
            }
            for (List<Future<?>> futures : viewFutures) {
                for (Future<?> future : futures) {
                    accepted++;
                    assertThat(future.isDone())
                            .as("seed %d: %s is done", seed, future)
                            .isTrue();
                    if (future.isCancelled()) {
                        cancelled++;
                    } else {
                        assertThat(getQuietly(future)).isNotNull();
                    }
                }
            }
            assertThat(accepted + refused.get())
                    .as("seed %d: submissions", seed)
                    .isEqualTo(submitted.get());
            // no handle to ask: what was accepted and did not run was dropped, and counted
            assertThat(executesAccepted.get() - executesRun.get())
                    .as("seed %d: executes accepted and not run", seed)
                    .isBetween(0, dropped.fromOtherThreads());
            assertThat(viewExecutesAccepted.get() - viewExecutesRun.get())
                    .as("seed %d: view executes accepted and not run", seed)
                    .isBetween(0, dropped.viewTasks());
        }

        private static Object getQuietly(Future<?> future) {
            try {
                return future.get();
            } catch (CancellationException | InterruptedException | java.util.concurrent.ExecutionException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** A callback posted with callSoonThreadsafe and what became of it. */
    private static final class Posted {
        volatile Handle handle;
        volatile boolean ran;
    }
}
