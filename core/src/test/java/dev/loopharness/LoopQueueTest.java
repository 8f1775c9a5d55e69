package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** Follows CPython 3.13's Lib/test/test_asyncio/test_queues.py; each test names the case it follows. */
class LoopQueueTest {

    private static <T> T run(Coroutine<T> main) {
        return EventLoops.run(new VirtualClock(), main);
    }

    private static void yieldOnce() {
        Async.sleep(Duration.ZERO);
    }

    /** QueueBasicTests.test_empty, test_full, test_maxsize. */
    @Test
    void sizeEmptyAndFullWorkOffTheLoop() {
        LoopQueue<Integer> queue = new LoopQueue<>(2);
        assertThat(queue.empty()).isTrue();
        queue.putNowait(1);
        queue.putNowait(2);
        assertThat(queue.full()).isTrue();
        assertThat(queue.qsize()).isEqualTo(2);
        assertThat(queue.maxsize()).isEqualTo(2);
        assertThat(new LoopQueue<Integer>().full()).isFalse();
        assertThat(new LoopQueue<Integer>(-3).maxsize()).isZero();
        assertThatThrownBy(() -> queue.putNowait(3))
                .isInstanceOf(QueueFullException.class)
                .hasMessage(queue + " is full: it holds 2 of 2 items; use put() to wait for room");
    }

    /** QueueBasicTests.test_maxsize: a putter waits while the queue is full. */
    @Test
    void putWaitsWhileFullAndResumesWhenAGetterMakesRoom() {
        VirtualClock clock = new VirtualClock();
        List<String> events = EventLoops.run(clock, () -> {
            LoopQueue<Integer> queue = new LoopQueue<>(2);
            List<String> log = new ArrayList<>();
            Task<?> putter = Async.createTask(() -> {
                for (int i = 0; i < 3; i++) {
                    queue.put(i);
                    log.add("put " + i + " at "
                            + Duration.ofNanos(Async.loop().time()).toSeconds());
                }
                return null;
            });
            Async.sleep(Duration.ofSeconds(1));
            log.add("got " + queue.get());
            Async.await(putter);
            return log;
        });
        assertThat(events).containsExactly("put 0 at 0", "put 1 at 0", "got 0", "put 2 at 1");
    }

    /** QueueGetTests.test_nonblocking_get_exception. */
    @Test
    void getNowaitOnAnEmptyQueueThrows() {
        LoopQueue<String> queue = new LoopQueue<String>().withName("prices");
        assertThatThrownBy(queue::getNowait)
                .isInstanceOf(QueueEmptyException.class)
                .hasMessage("LoopQueue 'prices' is empty; use get() to wait for an item");
    }

    /** QueueGetTests.test_blocking_get_wait, test_get_with_waiting_putters. */
    @Test
    void getWaitsForAPutAndWaitingPuttersGoInOrder() {
        List<String> got = run(() -> {
            LoopQueue<String> queue = new LoopQueue<>(1);
            Async.createTask(() -> {
                queue.put("a");
                queue.put("b");
                return null;
            });
            return List.of(queue.get(), queue.get());
        });
        assertThat(got).containsExactly("a", "b");
    }

    /** QueueGetTests.test_get_cancelled_race: a cancelled getter does not take an item. */
    @Test
    void aCancelledGetterLeavesTheItemToTheNext() {
        String got = run(() -> {
            LoopQueue<String> queue = new LoopQueue<>();
            Task<String> first = Async.createTask(queue::get);
            Task<String> second = Async.createTask(queue::get);
            yieldOnce();
            first.cancel();
            yieldOnce();
            assertThat(first.isCancelled()).isTrue();
            queue.put("a");
            return Async.await(second);
        });
        assertThat(got).isEqualTo("a");
    }

    /** QueuePutTests.test_get_cancel_drop_one_pending_reader: a woken getter cancelled drops no item. */
    @Test
    void aGetterCancelledAfterItWasWokenDropsNoItem() {
        Integer got = run(() -> {
            LoopQueue<Integer> queue = new LoopQueue<>();
            Task<Integer> reader = Async.createTask(queue::get);
            yieldOnce();
            queue.putNowait(1);
            queue.putNowait(2);
            reader.cancel();
            assertThatThrownBy(() -> Async.await(reader)).isInstanceOf(CancellationException.class);
            return Async.await(Async.createTask(queue::get));
        });
        assertThat(got).isEqualTo(1);
    }

    /** QueuePutTests.test_get_cancel_drop_many_pending_readers: the wake-up passes to the next reader. */
    @Test
    void aWokenGetterCancelledPassesItsWakeUpToTheNextGetter() {
        Set<Integer> got = run(() -> {
            LoopQueue<Integer> queue = new LoopQueue<>();
            Task<Integer> reader1 = Async.createTask(queue::get);
            Task<Integer> reader2 = Async.createTask(queue::get);
            Task<Integer> reader3 = Async.createTask(queue::get);
            yieldOnce();
            queue.putNowait(1);
            queue.putNowait(2);
            reader1.cancel();
            assertThatThrownBy(() -> Async.await(reader1)).isInstanceOf(CancellationException.class);
            return Set.of(Async.await(reader2), Async.await(reader3));
        });
        assertThat(got).containsExactlyInAnyOrder(1, 2);
    }

    /** QueuePutTests.test_put_cancel_drop: a cancelled putter puts nothing. */
    @Test
    void aCancelledPutterPutsNothing() {
        List<Integer> left = run(() -> {
            LoopQueue<Integer> queue = new LoopQueue<>(1);
            queue.putNowait(1);
            Task<?> writer = Async.createTask(() -> {
                queue.put(2);
                return null;
            });
            yieldOnce();
            writer.cancel();
            assertThatThrownBy(() -> Async.await(writer)).isInstanceOf(CancellationException.class);
            List<Integer> items = new ArrayList<>();
            while (!queue.empty()) {
                items.add(queue.getNowait());
            }
            return items;
        });
        assertThat(left).containsExactly(1);
    }

    /** QueuePutTests.test_put_cancelled_race: a woken putter cancelled passes the room on, in order. */
    @Test
    void aWokenPutterCancelledPassesTheRoomToTheNextPutter() {
        List<String> got = run(() -> {
            LoopQueue<String> queue = new LoopQueue<>(1);
            Task<?> putA = Async.createTask(() -> put(queue, "a"));
            Task<?> putB = Async.createTask(() -> put(queue, "b"));
            Task<?> putX = Async.createTask(() -> put(queue, "X"));
            yieldOnce();
            assertThat(putA.isDone()).isTrue();
            assertThat(putB.isDone()).isFalse();
            putX.cancel();
            yieldOnce();
            assertThat(putX.isDone()).isTrue();
            List<String> items = new ArrayList<>();
            items.add(queue.getNowait());
            yieldOnce();
            items.add(queue.getNowait());
            Async.await(putB);
            assertThat(queue.empty()).isTrue();
            return items;
        });
        assertThat(got).containsExactly("a", "b");
    }

    private static Void put(LoopQueue<String> queue, String item) {
        queue.put(item);
        return null;
    }

    /** QueueGetTests.test_why_are_getters_waiting: waiters are woken first come, first served. */
    @Test
    void waitingGettersAreServedInArrivalOrder() {
        List<String> got = run(() -> {
            LoopQueue<Integer> queue = new LoopQueue<>();
            List<String> log = new ArrayList<>();
            List<Task<?>> readers = new ArrayList<>();
            for (String name : List.of("r1", "r2", "r3")) {
                readers.add(Async.createTask(() -> log.add(name + " got " + queue.get())));
            }
            yieldOnce();
            for (int i = 1; i <= 3; i++) {
                queue.putNowait(i);
            }
            for (Task<?> reader : readers) {
                Async.await(reader);
            }
            return log;
        });
        assertThat(got).containsExactly("r1 got 1", "r2 got 2", "r3 got 3");
    }

    /** LifoQueueTests.test_order and PriorityQueueTests.test_order. */
    @Test
    void lifoAndPriorityQueuesHandOutInTheirOrder() {
        LoopQueue<Integer> lifo = LoopQueue.lifo(0);
        LoopQueue<Integer> priority = LoopQueue.priority(0, Comparator.naturalOrder());
        for (int i : new int[] {1, 3, 2}) {
            lifo.putNowait(i);
            priority.putNowait(i);
        }
        List<Integer> fromLifo = new ArrayList<>();
        List<Integer> fromPriority = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            fromLifo.add(lifo.getNowait());
            fromPriority.add(priority.getNowait());
        }
        assertThat(fromLifo).containsExactly(2, 3, 1);
        assertThat(fromPriority).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> LoopQueue.priority(0, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("order must not be null; for the natural order use Comparator.naturalOrder()");
    }

    /** _QueueJoinTestMixin.test_task_done_underflow. */
    @Test
    void taskDoneMoreOftenThanPutsIsRefused() {
        LoopQueue<Integer> queue = new LoopQueue<Integer>().withName("jobs");
        assertThatThrownBy(queue::taskDone)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("taskDone() called too many times on LoopQueue 'jobs': every item put has been marked"
                        + " done already");
    }

    /** _QueueJoinTestMixin.test_task_done and test_join_empty_queue. */
    @Test
    void joinWaitsUntilEveryItemIsMarkedDone() {
        int total = run(() -> {
            LoopQueue<Integer> queue = new LoopQueue<>();
            queue.join(); // nothing put: returns at once
            int[] sum = new int[1];
            for (int i = 0; i < 2; i++) {
                Async.createTask(() -> {
                    while (true) {
                        int item = queue.get();
                        Async.sleep(Duration.ofMillis(item));
                        sum[0] += item;
                        queue.taskDone();
                    }
                });
            }
            for (int i = 1; i <= 100; i++) {
                queue.putNowait(i);
            }
            queue.join();
            for (Task<?> task : Async.loop().allTasks()) {
                if (task != Async.currentTask()) {
                    task.cancel();
                }
            }
            return sum[0];
        });
        assertThat(total).isEqualTo(5050);
    }

    /** _QueueShutdownTestMixin.test_shutdown_empty: waiting getters and putters fail, later calls too. */
    @Test
    void shutdownWakesWaitingGettersToFail() {
        Throwable thrown = run(() -> {
            LoopQueue<String> queue = new LoopQueue<String>(1).withName("q");
            Task<Object> getter = Async.createTask(() -> {
                try {
                    return queue.get();
                } catch (QueueShutDownException e) {
                    return e;
                }
            });
            yieldOnce();
            queue.shutdown(false);
            assertThatThrownBy(() -> queue.putNowait("x"))
                    .isInstanceOf(QueueShutDownException.class)
                    .hasMessage("putNowait() on LoopQueue 'q', which is shut down");
            assertThatThrownBy(queue::getNowait)
                    .isInstanceOf(QueueShutDownException.class)
                    .hasMessage("getNowait() on LoopQueue 'q', which is shut down and empty");
            return (Throwable) Async.await(getter);
        });
        assertThat(thrown)
                .isInstanceOf(QueueShutDownException.class)
                .hasMessage("get() on LoopQueue 'q', which is shut down and empty");
    }

    /** _QueueShutdownTestMixin.test_shutdown_nonempty: items left can still be taken, puts fail. */
    @Test
    void shutdownLetsGettersDrainWhatIsLeftAndWakesPuttersToFail() {
        List<Object> got = run(() -> {
            LoopQueue<String> queue = new LoopQueue<String>(1).withName("q");
            queue.putNowait("left");
            Task<Throwable> putter = Async.createTask(() -> {
                try {
                    queue.put("late");
                    return null;
                } catch (QueueShutDownException e) {
                    return e;
                }
            });
            yieldOnce();
            queue.shutdown(false);
            List<Object> items = new ArrayList<>();
            items.add(queue.get());
            items.add(Async.await(putter).getMessage());
            assertThatThrownBy(queue::get)
                    .isInstanceOf(QueueShutDownException.class)
                    .hasMessage("get() on LoopQueue 'q', which is shut down and empty");
            return items;
        });
        assertThat(got).containsExactly("left", "put() on LoopQueue 'q', which is shut down");
    }

    /** A put that would wait on a full queue that is shut down fails at once, as putNowait does. */
    @Test
    void aPutOnAFullQueueThatIsShutDownFailsAtOnce() {
        String message = run(() -> {
            LoopQueue<String> queue = new LoopQueue<String>(1).withName("q");
            queue.putNowait("kept");
            queue.shutdown(false);
            return outcome(() -> {
                queue.put("late");
                return "put";
            });
        });
        assertThat(message).isEqualTo("put() on LoopQueue 'q', which is shut down");
    }

    @Test
    void aNullItemIsRefusedByPutAsByPutNowait() {
        String expected =
                "item must not be null: a LoopQueue holds no null items; to end a consumer, use" + " shutdown(false)";
        run(() -> {
            LoopQueue<String> queue = new LoopQueue<>();
            assertThatThrownBy(() -> queue.put(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage(expected);
            assertThatThrownBy(() -> queue.putNowait(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage(expected);
            assertThat(queue.qsize()).isZero();
            return null;
        });
    }

    /** _QueueShutdownTestMixin.test_shutdown_immediate: waiting getters and putters fail at once. */
    @Test
    void shutdownImmediatelyFailsWaitingGettersAndPutters() {
        List<String> outcomes = run(() -> {
            LoopQueue<String> empty = new LoopQueue<String>().withName("empty");
            LoopQueue<String> full = new LoopQueue<String>(1).withName("full");
            full.putNowait("kept");
            Task<String> getter = Async.createTask(() -> outcome(() -> empty.get()));
            Task<String> putter = Async.createTask(() -> outcome(() -> {
                full.put("late");
                return "put";
            }));
            yieldOnce();
            empty.shutdown(true);
            full.shutdown(true);
            assertThat(full.empty()).isTrue();
            return List.of(Async.await(getter), Async.await(putter));
        });
        assertThat(outcomes)
                .containsExactly(
                        "get() on LoopQueue 'empty', which is shut down and empty",
                        "put() on LoopQueue 'full', which is shut down");
    }

    private static String outcome(java.util.function.Supplier<String> body) {
        try {
            return body.get();
        } catch (QueueShutDownException e) {
            return e.getMessage();
        }
    }

    /** _QueueShutdownTestMixin.test_shutdown_immediate_with_unfinished: dropped items count as done. */
    @Test
    void shutdownImmediatelyDropsTheItemsAndReleasesJoin() {
        Integer unfinishedAtJoin = run(() -> {
            LoopQueue<Integer> queue = new LoopQueue<>();
            queue.putNowait(1);
            queue.putNowait(2);
            queue.getNowait(); // taken, not marked done
            Task<?> joiner = Async.createTask(() -> {
                queue.join();
                return null;
            });
            yieldOnce();
            queue.shutdown(true);
            assertThat(queue.empty()).isTrue();
            yieldOnce();
            assertThat(joiner.isDone()).isFalse(); // the item taken is still unfinished
            queue.taskDone();
            Async.await(joiner);
            assertThatThrownBy(queue::taskDone).isInstanceOf(IllegalStateException.class);
            return queue.qsize();
        });
        assertThat(unfinishedAtJoin).isZero();
    }

    /** No CPython counterpart: asyncio's queues take None, ours refuse null and say what to use instead. */
    @Test
    void nullItemsAreRefused() {
        LoopQueue<String> queue = new LoopQueue<>();
        assertThatThrownBy(() -> queue.putNowait(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("item must not be null: a LoopQueue holds no null items; to end a consumer, use"
                        + " shutdown(false)");
    }

    /** asyncio's mixins._LoopBoundMixin: a queue that waited on one loop refuses waits on another. */
    @Test
    void aQueueBoundToOneLoopRefusesWaitsOnAnother() {
        LoopQueue<String> queue = new LoopQueue<String>().withName("prices");
        EventLoop first = EventLoops.newEventLoop(new VirtualClock());
        try {
            Task<String> waiting = first.createTask(queue::get);
            first.runUntilComplete(() -> {
                yieldOnce();
                return null;
            });
            Throwable thrown = EventLoops.run(new VirtualClock(), () -> {
                queue.putNowait("fine: no wait"); // wakes the getter of the first loop
                queue.getNowait();
                try {
                    queue.get();
                    return null;
                } catch (IllegalStateException e) {
                    return e;
                }
            });
            assertThat(thrown)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("LoopQueue 'prices' is bound to a different event loop: it first waited"
                            + " on " + first + ", not on ")
                    .hasMessageEndingWith("; make one per loop");
            waiting.cancel();
        } finally {
            first.close();
        }
    }

    /** asyncio's mixins._LoopBoundMixin._get_loop, which needs a running loop ("no running event loop"). */
    @Test
    void waitingOutsideACoroutineIsRefusedWithHowToFixIt() {
        LoopQueue<String> queue = new LoopQueue<String>().withName("q");
        assertThatThrownBy(queue::get)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("LoopQueue 'q'.get() must wait, so it must be called inside a coroutine, but thread \""
                        + Thread.currentThread().getName() + "\" runs none; the non-waiting forms work anywhere");
    }

    /** Leak and hang reports name what a task waits on (no CPython counterpart). */
    @Test
    void aDeadlockReportNamesTheQueueATaskWaitsOn() {
        LoopQueue<Integer> prices = new LoopQueue<Integer>(2).withName("prices");
        assertThatThrownBy(() -> EventLoops.run(new VirtualClock(), () -> {
                    Task<?> reader = Async.createTask(() -> {
                        for (int i = 0; ; i++) {
                            prices.put(i);
                        }
                    });
                    reader.setName("reader");
                    return Async.await(reader);
                }))
                .isInstanceOf(VirtualTimeDeadlockException.class)
                .hasMessageContaining(
                        ", waiting on LoopQueue 'prices' (full, 2 items) at dev.loopharness.LoopQueueTest.");
    }
}
