package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Thousands of callSoon, callLater and callAt callbacks, cancellations and stops, on a loop with a virtual clock,
 * against a reference model of asyncio's iteration rule. The same script drives both: what a callback does is
 * decided by the seed and the callback's id, so the two runs diverge only if the loop and the model order
 * callbacks differently.
 *
 * <p>The model, one iteration of the loop (DefaultEventLoop.runOnce):
 *
 * <ol>
 *   <li>if nothing is ready and the loop is not stopping, the clock jumps to the earliest live timer;
 *   <li>every timer due at the clock's time moves, by (deadline, sequence), behind the callbacks already
 *       ready; cancelled ones are dropped;
 *   <li>the callbacks ready now, and only those, run first-in first-out; a cancelled one is skipped.
 * </ol>
 *
 * {@code runForever} repeats iterations until a callback calls {@code stop()}; a {@code stop()} before it runs
 * makes it run a single iteration, without waiting.
 */
class RandomizedSchedulingTest {

    private static final long TICK = 1_000_000L;
    private static final int INITIAL = 2000;
    private static final int BUDGET = 8000;
    private static final int SENTINEL = -1;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 42L, 20_240_229L, -7L, 0xC0FFEEL, 987_654_321L})
    void theLoopRunsCallbacksInTheOrderOfTheReferenceModel(long seed) {
        Outcome expected = new Script(seed).runOn(new Model());
        Outcome actual;
        try (EventLoop loop = EventLoops.newEventLoop(new VirtualClock())) {
            List<ExceptionContext> reports = new CopyOnWriteArrayList<>();
            loop.setExceptionHandler((l, context) -> reports.add(context));
            actual = new Script(seed).runOn(new RealLoop(loop));
            assertThat(reports)
                    .as("seed %d: reports to the exception handler", seed)
                    .isEmpty();
            assertThat(loop.isRunning()).isFalse();
        }

        assertSameRuns(seed, expected.runs, actual.runs);
        assertThat(actual.runForeverCalls).as("seed %d: runForever calls", seed).isEqualTo(expected.runForeverCalls);
        // the scenario exercised what it is meant to
        assertThat(expected.runs).as("seed %d: callbacks run", seed).hasSizeGreaterThan(3000);
        assertThat(expected.runForeverCalls).as("seed %d: stops", seed).isGreaterThan(5);
        assertThat(expected.cancelled).as("seed %d: cancellations", seed).isGreaterThan(500);
    }

    private static void assertSameRuns(long seed, List<Run> expected, List<Run> actual) {
        int common = Math.min(expected.size(), actual.size());
        for (int i = 0; i < common; i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                fail(
                        "seed %d: the loop and the model differ at run %d:%n  model: %s%n  loop:  %s",
                        seed, i, window(expected, i), window(actual, i));
            }
        }
        if (expected.size() != actual.size()) {
            fail(
                    "seed %d: the model ran %d callbacks, the loop %d; from run %d:%n  model: %s%n  loop:  %s",
                    seed, expected.size(), actual.size(), common, window(expected, common), window(actual, common));
        }
    }

    private static List<Run> window(List<Run> runs, int at) {
        return runs.subList(Math.max(0, at - 3), Math.min(runs.size(), at + 4));
    }

    /** A callback that ran: its id and the loop time it saw. */
    record Run(int id, long time) {
        @Override
        public String toString() {
            return id + "@" + time / TICK + "ms";
        }
    }

    /** What a script observed. */
    record Outcome(List<Run> runs, int runForeverCalls, int cancelled) {}

    /** What the script needs from a loop; implemented by the loop itself and by the model. */
    interface Scheduler {
        void setCallback(IntConsumer callback);

        void callSoon(int id);

        void callLater(long delayNanos, int id);

        void callAt(long deadlineNanos, int id);

        void cancel(int id);

        void stop();

        long time();

        void runForever();
    }

    /** The scenario: identical decisions on the loop and on the model, as long as both run the same order. */
    static final class Script {
        private final long seed;
        private final List<Run> runs = new ArrayList<>();
        private Scheduler scheduler;
        private int nextId;
        private int cancelled;
        private boolean sentinelRan;

        Script(long seed) {
            this.seed = seed;
        }

        Outcome runOn(Scheduler target) {
            scheduler = target;
            scheduler.setCallback(this::onRun);
            Random setup = new Random(seed);
            for (int i = 0; i < INITIAL; i++) {
                scheduleOne(setup);
            }
            for (int id = 0; id < INITIAL; id++) {
                if (setup.nextInt(10) < 4) {
                    cancel(id);
                }
            }
            // the last timer: it stops the loop once nothing else is left, so the loop never waits for nothing
            scheduler.callAt(Long.MAX_VALUE, SENTINEL);
            Random driver = new Random(~seed);
            int calls = 0;
            while (!sentinelRan) {
                if (driver.nextInt(8) == 0) {
                    scheduler.stop();
                }
                scheduler.runForever();
                calls++;
            }
            return new Outcome(runs, calls, cancelled);
        }

        private void onRun(int id) {
            runs.add(new Run(id, scheduler.time()));
            if (id == SENTINEL) {
                sentinelRan = true;
                scheduler.stop();
                return;
            }
            Random random = new Random(seed * 1_000_003L + id);
            int children = nextId < BUDGET ? random.nextInt(4) : 0;
            for (int i = 0; i < children; i++) {
                scheduleOne(random);
            }
            if (random.nextInt(3) == 0) {
                cancel(random.nextInt(nextId));
            }
            if (random.nextInt(100) == 0) {
                scheduler.stop();
            }
        }

        private void scheduleOne(Random random) {
            int id = nextId++;
            // deadlines on a coarse grid, a few in the past: many ties, some due at once
            long offset = (random.nextInt(12) - 2) * TICK;
            switch (random.nextInt(3)) {
                case 0 -> scheduler.callSoon(id);
                case 1 -> scheduler.callLater(offset, id);
                default -> scheduler.callAt(scheduler.time() + offset, id);
            }
        }

        private void cancel(int id) {
            cancelled++;
            scheduler.cancel(id);
        }
    }

    /** The loop under test. */
    static final class RealLoop implements Scheduler {
        private final EventLoop loop;
        private final Map<Integer, Handle> handles = new HashMap<>();
        private IntConsumer callback;

        RealLoop(EventLoop loop) {
            this.loop = loop;
        }

        @Override
        public void setCallback(IntConsumer callback) {
            this.callback = callback;
        }

        @Override
        public void callSoon(int id) {
            handles.put(id, loop.callSoon(() -> callback.accept(id)));
        }

        @Override
        public void callLater(long delayNanos, int id) {
            handles.put(id, loop.callLater(Duration.ofNanos(delayNanos), () -> callback.accept(id)));
        }

        @Override
        public void callAt(long deadlineNanos, int id) {
            handles.put(id, loop.callAt(deadlineNanos, () -> callback.accept(id)));
        }

        @Override
        public void cancel(int id) {
            handles.get(id).cancel();
        }

        @Override
        public void stop() {
            loop.stop();
        }

        @Override
        public long time() {
            return loop.time();
        }

        @Override
        public void runForever() {
            loop.runForever();
        }
    }

    /** The reference model: a FIFO of ready callbacks and a list of timers sorted by (deadline, sequence). */
    static final class Model implements Scheduler {

        private static final class Entry {
            final int id;
            final long when;
            final long sequence;
            boolean cancelled;

            Entry(int id, long when, long sequence) {
                this.id = id;
                this.when = when;
                this.sequence = sequence;
            }

            boolean isBefore(Entry other) {
                return when < other.when || (when == other.when && sequence < other.sequence);
            }
        }

        private final ArrayDeque<Entry> ready = new ArrayDeque<>();
        private final List<Entry> timers = new ArrayList<>();
        private final Map<Integer, Entry> entries = new HashMap<>();
        private IntConsumer callback;
        private long now;
        private long sequence;
        private boolean running;
        private boolean stopping;
        private boolean stopBeforeRun;

        @Override
        public void setCallback(IntConsumer callback) {
            this.callback = callback;
        }

        @Override
        public void callSoon(int id) {
            Entry entry = new Entry(id, now, -1);
            entries.put(id, entry);
            ready.add(entry);
        }

        @Override
        public void callLater(long delayNanos, int id) {
            callAt(now + delayNanos, id);
        }

        @Override
        public void callAt(long deadlineNanos, int id) {
            Entry entry = new Entry(id, deadlineNanos, sequence++);
            entries.put(id, entry);
            int at = timers.size();
            while (at > 0 && entry.isBefore(timers.get(at - 1))) {
                at--;
            }
            timers.add(at, entry);
        }

        @Override
        public void cancel(int id) {
            entries.get(id).cancelled = true;
        }

        @Override
        public void stop() {
            if (!running) {
                stopBeforeRun = true;
            } else {
                stopping = true;
            }
        }

        @Override
        public long time() {
            return now;
        }

        @Override
        public void runForever() {
            running = true;
            stopping = stopBeforeRun;
            stopBeforeRun = false;
            do {
                runOnce();
            } while (!stopping);
            running = false;
        }

        private void runOnce() {
            if (ready.isEmpty() && !stopping) {
                Entry next = timers.stream()
                        .filter(timer -> !timer.cancelled)
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("the model would wait forever"));
                now = Math.max(now, next.when);
            }
            while (!timers.isEmpty() && timers.get(0).when <= now) {
                Entry due = timers.remove(0);
                if (!due.cancelled) {
                    ready.add(due);
                }
            }
            for (int count = ready.size(); count > 0; count--) {
                Entry entry = ready.poll();
                if (!entry.cancelled) {
                    callback.accept(entry.id);
                }
            }
        }
    }
}
