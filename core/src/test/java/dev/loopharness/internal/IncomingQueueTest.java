package dev.loopharness.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The multi-producer single-consumer queue of callbacks scheduled from other threads. */
class IncomingQueueTest {

    private static final long PATIENCE_SECONDS = 60;

    /** A handle that knows who offered it and in which position. */
    private static final class Tagged extends ReadyHandle {
        final int producer;
        final int index;

        Tagged(int producer, int index) {
            super(null, () -> {}, null);
            this.producer = producer;
            this.index = index;
        }
    }

    private final IncomingQueue queue = new IncomingQueue();

    @Test
    void aNewQueueIsEmpty() {
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.poll()).isNull();
    }

    @Test
    void oneThreadGetsBackWhatItOfferedInOrder() {
        List<Tagged> offered = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Tagged handle = new Tagged(0, i);
            offered.add(handle);
            queue.offer(handle);
            assertThat(queue.isEmpty()).isFalse();
        }
        List<ReadyHandle> polled = new ArrayList<>();
        for (ReadyHandle handle = queue.poll(); handle != null; handle = queue.poll()) {
            polled.add(handle);
        }

        assertThat(polled).containsExactlyElementsOf(offered);
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void offersAndPollsCanInterleave() {
        queue.offer(new Tagged(0, 0));
        assertThat(((Tagged) queue.poll()).index).isZero();
        assertThat(queue.poll()).isNull();

        queue.offer(new Tagged(0, 1));
        queue.offer(new Tagged(0, 2));
        assertThat(((Tagged) queue.poll()).index).isEqualTo(1);
        queue.offer(new Tagged(0, 3));
        assertThat(((Tagged) queue.poll()).index).isEqualTo(2);
        assertThat(((Tagged) queue.poll()).index).isEqualTo(3);
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void aHandleIsQueuedFromItsExchangeAndPollWaitsForItsLink() throws Exception {
        Tagged first = new Tagged(0, 0);
        queue.offer(first);
        assertThat(queue.poll()).isSameAs(first);
        assertThat(queue.isEmpty()).isTrue();

        // a producer stopped between its exchange and its link: the loop must not park on this queue
        Tagged second = new Tagged(0, 1);
        ReadyHandle predecessor = queue.exchange(second);
        assertThat(predecessor).isSameAs(first);
        assertThat(queue.isEmpty()).as("queued from the exchange on").isFalse();

        PollingThread consumer = new PollingThread(() -> {}, () -> {});
        // whether the consumer is already waiting or has yet to look, it gets the handle once it is linked
        predecessor.linkIncoming(second);

        assertThat(consumer.polled()).isSameAs(second);
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.poll()).isNull();
    }

    @Test
    void aPostWakesTheThreadThatAskedToBeWoken() throws Exception {
        Tagged posted = new Tagged(0, 0);
        PollingThread consumer = new PollingThread(queue::beginWait, () -> {
            // parks for ever unless the post unparks it (or the post came first and the queue is not empty)
            while (queue.isEmpty()) {
                LockSupport.park(this);
            }
            queue.endWait();
        });

        queue.post(posted);

        assertThat(consumer.polled()).isSameAs(posted);
    }

    /** A consumer on a thread of its own that polls once. */
    private final class PollingThread {
        private final AtomicReference<ReadyHandle> polled = new AtomicReference<>();
        private final Thread thread;

        /**
         * Starts the thread and returns once it has run {@code first}; it then runs {@code beforePoll} and polls.
         */
        PollingThread(Runnable first, Runnable beforePoll) throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            thread = new Thread(
                    () -> {
                        first.run();
                        started.countDown();
                        beforePoll.run();
                        polled.set(queue.poll());
                    },
                    "consumer");
            thread.setDaemon(true);
            thread.start();
            assertThat(started.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
        }

        /** Waits for the poll and returns what it took. */
        ReadyHandle polled() throws InterruptedException {
            thread.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
            assertThat(thread.isAlive()).as("the consumer's poll returned").isFalse();
            return polled.get();
        }
    }

    @Test
    void theConsumerSeesEveryOfferOnceAndEachProducersInOrder() throws Exception {
        int producers = 4;
        int perProducer = 100_000;
        CyclicBarrier start = new CyclicBarrier(producers + 1);
        CountDownLatch finished = new CountDownLatch(producers);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            Thread thread = new Thread(
                    () -> {
                        try {
                            start.await(PATIENCE_SECONDS, TimeUnit.SECONDS);
                            for (int i = 0; i < perProducer; i++) {
                                queue.offer(new Tagged(producer, i));
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        } finally {
                            finished.countDown();
                        }
                    },
                    "producer-" + p);
            threads.add(thread);
            thread.start();
        }

        int[] nextIndex = new int[producers];
        int received = 0;
        List<String> errors = new ArrayList<>();
        start.await(PATIENCE_SECONDS, TimeUnit.SECONDS);
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
        while (true) {
            ReadyHandle handle = queue.poll();
            if (handle == null) {
                // every offer happened before the producer's countDown, so once all are counted down, a null
                // poll means the queue is empty for good
                if (finished.getCount() == 0 && (handle = queue.poll()) == null) {
                    break;
                }
                if (handle == null) {
                    if (System.nanoTime() - giveUp > 0) {
                        break;
                    }
                    Thread.onSpinWait();
                    continue;
                }
            }
            Tagged tagged = (Tagged) handle;
            if (tagged.index != nextIndex[tagged.producer] && errors.size() < 10) {
                errors.add("producer " + tagged.producer + ": expected " + nextIndex[tagged.producer] + ", got "
                        + tagged.index);
            }
            nextIndex[tagged.producer] = tagged.index + 1;
            received++;
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(errors).as("out-of-order or repeated offers").isEmpty();
        assertThat(received).isEqualTo(producers * perProducer);
        assertThat(nextIndex).containsOnly(perProducer);
        assertThat(queue.isEmpty()).isTrue();
    }
}
