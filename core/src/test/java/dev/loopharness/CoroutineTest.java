package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class CoroutineTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void aRunWhoseTasksNeverSuspendStaysOnTheCallingThread() {
        EventLoop loop = EventLoops.newEventLoop();
        try {
            Thread[] ranOn = new Thread[2];
            int answer = loop.runUntilComplete(() -> {
                loop.callSoon(() -> ranOn[0] = Thread.currentThread());
                return 42;
            });
            loop.callSoon(() -> {
                ranOn[1] = Thread.currentThread();
                loop.stop();
            });
            loop.runForever();

            assertThat(answer).isEqualTo(42);
            assertThat(ranOn).containsOnly(Thread.currentThread());
        } finally {
            loop.close();
        }
    }

    @Test
    void aRunMovesOffAPlatformThreadOnceATaskSuspendsWhereVirtualThreadsExist() {
        EventLoop loop = EventLoops.newEventLoop();
        try {
            List<Thread> ranOn = new ArrayList<>();
            int answer = loop.runUntilComplete(() -> {
                for (int i = 0; i < 3; i++) {
                    loop.callSoon(() -> ranOn.add(Thread.currentThread()));
                    Async.sleep(Duration.ZERO);
                }
                return 7;
            });

            assertThat(answer).isEqualTo(7);
            assertThat(ranOn).hasSize(3).containsOnly(ranOn.get(0));
            if (virtualThreadsAvailable()) {
                assertThat(ranOn.get(0)).isNotSameAs(Thread.currentThread());
            } else {
                assertThat(ranOn.get(0)).isSameAs(Thread.currentThread());
            }
        } finally {
            loop.close();
        }
    }

    private static boolean virtualThreadsAvailable() {
        return Runtime.version().feature() >= 21
                && !"false".equalsIgnoreCase(System.getProperty("loopharness.virtualThreads"));
    }

    @Test
    void coffeeShopBrewsConcurrentlyInFiveSecondsOfLoopTime() {
        List<String> events = new ArrayList<>();
        VirtualClock clock = new VirtualClock();

        List<String> drinks = EventLoops.run(
                clock,
                () -> Async.gather(
                        () -> brew(events, "Americano", Duration.ofSeconds(3)),
                        () -> brew(events, "Latte", Duration.ofSeconds(5))));

        assertThat(drinks).containsExactly("Americano", "Latte");
        assertThat(events).containsExactly("Americano Start", "Latte Start", "Americano End", "Latte End");
        assertThat(clock.nanoTime()).isEqualTo(Duration.ofSeconds(5).toNanos());
    }

    @Test
    void coffeeShopBrewsSequentiallyInEightSecondsOfLoopTime() {
        List<String> events = new ArrayList<>();
        VirtualClock clock = new VirtualClock();

        EventLoops.run(clock, () -> {
            brew(events, "Americano", Duration.ofSeconds(3));
            return brew(events, "Latte", Duration.ofSeconds(5));
        });

        assertThat(events).containsExactly("Americano Start", "Americano End", "Latte Start", "Latte End");
        assertThat(clock.nanoTime()).isEqualTo(Duration.ofSeconds(8).toNanos());
    }

    private static String brew(List<String> events, String drink, Duration time) {
        events.add(drink + " Start");
        Async.sleep(time);
        events.add(drink + " End");
        return drink;
    }

    @Test
    void runUntilCompleteReturnsTheCoroutinesResult() {
        try (EventLoop loop = EventLoops.newEventLoop()) {
            String done = loop.runUntilComplete(() -> "done");
            Object nothing = loop.runUntilComplete(() -> null);
            assertThat(done).isEqualTo("done");
            assertThat(nothing).isNull();
        }
    }

    @Test
    void aCoroutinesCheckedExceptionReachesTheCallerAsTheSameInstance() {
        IOException failure = new IOException("disk on fire");
        try (EventLoop loop = EventLoops.newEventLoop()) {
            assertThatThrownBy(() -> loop.runUntilComplete(() -> {
                        throw failure;
                    }))
                    .isSameAs(failure);
        }
    }

    @Test
    void awaitSuspendsTheCoroutineNotTheLoop() {
        List<String> events = new ArrayList<>();
        try (EventLoop loop = EventLoops.newEventLoop()) {
            LoopFuture<String> future = loop.createFuture();
            loop.runUntilComplete(() -> {
                Async.loop().callSoon(() -> {
                    events.add("callback runs while the coroutine waits");
                    future.setResult("value");
                });
                events.add("awaiting");
                events.add("got " + Async.await(future));
                return null;
            });
        }
        assertThat(events).containsExactly("awaiting", "callback runs while the coroutine waits", "got value");
    }

    @Test
    void awaitOfADoneFutureDoesNotSuspend() {
        List<String> events = new ArrayList<>();
        try (EventLoop loop = EventLoops.newEventLoop()) {
            LoopFuture<Integer> done = loop.createFuture();
            done.setResult(7);
            loop.runUntilComplete(() -> {
                Async.loop().callSoon(() -> events.add("callback"));
                events.add("await " + Async.await(done));
                Async.sleep(Duration.ZERO);
                events.add("after yield");
                return null;
            });
        }
        assertThat(events).containsExactly("await 7", "callback", "after yield");
    }

    @Test
    void awaitRethrowsAFailedFuturesExceptionAsTheSameInstance() {
        IllegalArgumentException failure = new IllegalArgumentException("bad");
        try (EventLoop loop = EventLoops.newEventLoop()) {
            LoopFuture<String> future = loop.createFuture();
            Object caught = loop.runUntilComplete(() -> {
                Async.loop().callSoon(() -> future.setException(failure));
                try {
                    return Async.await(future);
                } catch (IllegalArgumentException e) {
                    return e;
                }
            });
            assertThat(caught).isSameAs(failure);
        }
    }

    @Test
    void awaitAcceptsACompletableFutureCompletedOnAnotherThread() {
        try (EventLoop loop = EventLoops.newEventLoop()) {
            CompletableFuture<String> foreign = new CompletableFuture<>();
            String result = loop.runUntilComplete(() -> {
                Thread producer = new Thread(() -> foreign.complete("from afar"));
                producer.start();
                String value = Async.await(foreign);
                producer.join();
                return value + " on " + (EventLoops.getRunningLoop() == Async.loop());
            });
            assertThat(result).isEqualTo("from afar on true");
        }
    }

    @Test
    void sleepZeroYieldsOnceToReadyCallbacks() {
        List<String> events = new ArrayList<>();
        try (EventLoop loop = EventLoops.newEventLoop()) {
            loop.runUntilComplete(() -> {
                Async.loop().callSoon(() -> events.add("callback"));
                events.add("before");
                Async.sleep(Duration.ZERO);
                events.add("after");
                return null;
            });
        }
        assertThat(events).containsExactly("before", "callback", "after");
    }

    @Test
    void sleepAdvancesVirtualTimeExactly() {
        VirtualClock clock = new VirtualClock();
        long elapsed = EventLoops.run(clock, () -> {
            long start = Async.loop().time();
            Async.sleep(Duration.ofHours(1));
            return Async.loop().time() - start;
        });
        assertThat(elapsed).isEqualTo(Duration.ofHours(1).toNanos());
    }

    @Test
    void gatherPropagatesTheFirstFailureAndLeavesTheOthersRunning() {
        IllegalStateException failure = new IllegalStateException("first");
        List<String> events = new ArrayList<>();
        try (EventLoop loop = EventLoops.newEventLoop(new VirtualClock())) {
            loop.runUntilComplete(() -> {
                try {
                    Async.gather(
                            () -> {
                                Async.sleep(SECOND);
                                throw failure;
                            },
                            () -> {
                                Async.sleep(Duration.ofSeconds(2));
                                events.add("slow one finished");
                                return "slow";
                            });
                } catch (IllegalStateException e) {
                    events.add("caught " + e.getMessage() + " same=" + (e == failure));
                }
                Async.sleep(Duration.ofSeconds(5));
                return null;
            });
        }
        assertThat(events).containsExactly("caught first same=true", "slow one finished");
    }

    @Test
    void gatherOfNoCoroutinesIsEmpty() {
        // with no argument, gather() would match both varargs forms (coroutines and futures): name the type
        assertThat(EventLoops.<List<Object>>run(() -> Async.gather(new Coroutine<?>[0])))
                .isEmpty();
        assertThat(EventLoops.<List<Object>>run(() -> Async.gather(List.<LoopFuture<Object>>of())))
                .isEmpty();
    }

    @Test
    void gatherRefusesANullCoroutineNamingItsPosition() {
        assertThatThrownBy(() -> EventLoops.run(() -> Async.gather(() -> 1, null)))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("coroutines[1] must not be null");
    }

    @Test
    void waitForReturnsTheResultInTime() throws Exception {
        String result = EventLoops.run(new VirtualClock(), () -> Async.waitFor(() -> "fast", Duration.ofSeconds(1)));
        assertThat(result).isEqualTo("fast");
    }

    @Test
    void waitForTimesOutCancelsAndAwaitsTheInnerTask() {
        List<String> events = new ArrayList<>();
        VirtualClock clock = new VirtualClock();
        Throwable thrown = EventLoops.run(clock, () -> {
            try {
                Async.waitFor(
                        () -> {
                            try {
                                Async.sleep(Duration.ofHours(1));
                                return "late";
                            } finally {
                                events.add("inner cleaned up");
                            }
                        },
                        Duration.ofSeconds(2));
                return null;
            } catch (TimeoutException e) {
                events.add("timed out");
                return e;
            }
        });
        assertThat(thrown)
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("did not complete within PT2S of loop time; it was cancelled");
        assertThat(events).containsExactly("inner cleaned up", "timed out");
        assertThat(clock.nanoTime()).isEqualTo(Duration.ofSeconds(2).toNanos());
    }

    @Test
    void createTaskStartsWhenTheCreatorSuspends() {
        List<String> events = new ArrayList<>();
        EventLoops.run(() -> {
            Task<String> child = Async.createTask(() -> {
                events.add("child runs");
                return "child";
            });
            events.add("creator goes on");
            events.add("awaited " + Async.await(child));
            return null;
        });
        assertThat(events).containsExactly("creator goes on", "child runs", "awaited child");
    }

    @Test
    void currentTaskAndLoopAnswerInsideACoroutine() {
        try (EventLoop loop = EventLoops.newEventLoop()) {
            Task<Boolean> task =
                    loop.createTask(() -> Async.currentTask().getName().equals("named")
                            && Async.loop() == EventLoops.getRunningLoop()
                            && EventLoops.getEventLoop() == EventLoops.getRunningLoop());
            task.setName("named");
            assertThat(loop.runUntilComplete(task)).isTrue();
            assertThat(task.getName()).isEqualTo("named");
        }
    }

    @Test
    void tasksHaveDefaultNames() {
        try (EventLoop loop = EventLoops.newEventLoop()) {
            Task<Integer> task = loop.createTask(() -> 1);
            assertThat(task.getName()).matches("Task-\\d+");
            assertThat(task.toString()).startsWith("<Task '" + task.getName() + "' pending");
            loop.runUntilComplete(task);
            assertThat(task.toString()).startsWith("<Task '" + task.getName() + "' finished");
        }
    }

    @Test
    void allTasksListsTasksNotDoneYet() {
        try (EventLoop loop = EventLoops.newEventLoop(new VirtualClock())) {
            Task<Object> sleeper = loop.createTask(() -> {
                Async.sleep(Duration.ofHours(1));
                return null;
            });
            Task<Integer> quick = loop.createTask(() -> 1);
            assertThat(loop.allTasks()).containsExactly(sleeper, quick);
            loop.runUntilComplete(quick);
            assertThat(loop.allTasks()).containsExactly(sleeper);
        }
    }

    @Test
    void waitingStackShowsWhereATaskWaits() {
        try (EventLoop loop = EventLoops.newEventLoop()) {
            Task<Object> waiter = loop.createTask(CoroutineTest::waitForever);
            loop.runUntilComplete(() -> {
                Async.sleep(Duration.ZERO);
                return null;
            });
            List<StackTraceElement> stack = waiter.waitingStack();
            assertThat(stack).isNotEmpty();
            assertThat(stack.get(0).getMethodName()).isEqualTo("waitForever");
            assertThat(stack.get(0).getClassName()).isEqualTo(CoroutineTest.class.getName());
        }
    }

    private static Object waitForever() {
        return Async.await(Async.loop().createFuture());
    }

    @Test
    void aTaskCannotAwaitItself() {
        try (EventLoop loop = EventLoops.newEventLoop()) {
            assertThatThrownBy(() -> loop.runUntilComplete(() -> Async.await(Async.currentTask())))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageEndingWith("cannot await itself: it would wait forever");
        }
    }
}
