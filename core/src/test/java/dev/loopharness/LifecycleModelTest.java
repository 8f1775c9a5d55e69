package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The loop's lifecycle against a model of it: random sequences of runs, stops, closes, schedulings and the
 * calls that must be refused on the way (closing or running a running loop, anything on a closed loop). After
 * every step the loop and the model agree on whether it is closed and running, on how many callbacks ran, and
 * on the exception and its message for every refused call.
 *
 * <p>The model: a loop is open or closed; open, it may have a stop requested before its next run and callbacks
 * waiting. A run first runs the waiting callbacks; a stop requested before it makes it one iteration long, so a
 * coroutine that suspends does not complete ("Event loop stopped before Future completed."), and one that
 * completes at once leaves the stop callback of its run ready for the next run (asyncio does the same; checked
 * with CPython 3.11).
 */
class LifecycleModelTest {

    private static final int STEPS = 400;

    private enum Op {
        CALL_SOON,
        STOP,
        RUN_FOREVER,
        RUN_COROUTINE,
        RUN_SUSPENDING_COROUTINE,
        CLOSE_WHILE_RUNNING,
        RUN_WHILE_RUNNING,
        CLOSE
    }

    /** What the loop should be. */
    private static final class Model {
        boolean closed;
        boolean stopRequested;
        int waiting;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1L, 7L, 42L, 1_234_567L, -99L, 0xBADC0FFEEL})
    void theLoopFollowsTheModelOfItsLifecycle(long seed) {
        Random random = new Random(seed);
        EventLoop loop = EventLoops.newEventLoop(new VirtualClock());
        Model model = new Model();
        AtomicInteger ran = new AtomicInteger();
        List<Op> trace = new ArrayList<>();
        int expectedRan = 0;
        for (int step = 0; step < STEPS; step++) {
            // closing is rare, so that most of a sequence exercises an open loop
            Op op = Op.values()[random.nextInt(Op.values().length - (random.nextInt(40) == 0 ? 0 : 1))];
            trace.add(op);
            String where = "seed " + seed + ", step " + step + ", trace " + trace;
            if (model.closed && op != Op.STOP && op != Op.CLOSE) {
                assertRefusedAsClosed(loop, op, where);
            } else {
                try {
                    expectedRan += apply(loop, model, op, ran, where);
                } catch (RuntimeException unexpected) {
                    throw new AssertionError(where, unexpected);
                }
            }
            assertThat(loop.isClosed()).as(where).isEqualTo(model.closed);
            assertThat(loop.isRunning()).as(where).isFalse();
            assertThat(ran.get()).as(where + ": callbacks run").isEqualTo(expectedRan);
        }
        loop.close();
    }

    /** Applies an operation to an open loop (or STOP and CLOSE to any) and returns how many callbacks it ran. */
    private static int apply(EventLoop loop, Model model, Op op, AtomicInteger ran, String where) {
        int waiting = model.waiting;
        switch (op) {
            case CALL_SOON:
                loop.callSoon(ran::incrementAndGet);
                model.waiting++;
                return 0;
            case STOP:
                loop.stop();
                model.stopRequested = !model.closed;
                return 0;
            case CLOSE:
                loop.close();
                model.closed = true;
                model.waiting = 0;
                return 0;
            case RUN_FOREVER:
                if (!model.stopRequested) {
                    loop.callSoon(loop::stop);
                }
                loop.runForever();
                break;
            case RUN_COROUTINE:
                assertThat(loop.runUntilComplete(() -> "done")).as(where).isEqualTo("done");
                break;
            case RUN_SUSPENDING_COROUTINE:
                runSuspending(loop, model.stopRequested, where);
                break;
            case CLOSE_WHILE_RUNNING:
                assertThat(loop.runUntilComplete(() -> refused(loop::close)))
                        .as(where)
                        .isEqualTo("IllegalStateException: Cannot close a running event loop");
                break;
            default:
                assertThat(loop.runUntilComplete(() -> refused(loop::runForever)))
                        .as(where)
                        .startsWith("IllegalStateException: This event loop is already running");
                break;
        }
        // a coroutine that completes in a run that was stopped before it began leaves that run's own stop
        // callback ready: it stops the next run after one iteration, as asyncio's run_until_complete does
        model.stopRequested = model.stopRequested && op != Op.RUN_FOREVER && op != Op.RUN_SUSPENDING_COROUTINE;
        model.waiting = 0;
        return waiting;
    }

    private static void runSuspending(EventLoop loop, boolean stopRequested, String where) {
        Coroutine<String> suspending = () -> {
            Async.sleep(Duration.ofSeconds(1));
            return "slept";
        };
        if (stopRequested) {
            assertThatThrownBy(() -> loop.runUntilComplete(suspending))
                    .as(where)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("Event loop stopped before Future completed.");
        } else {
            assertThat(loop.runUntilComplete(suspending)).as(where).isEqualTo("slept");
        }
    }

    private static String refused(Runnable call) {
        try {
            call.run();
            return "accepted";
        } catch (IllegalStateException refused) {
            return refused.getClass().getSimpleName() + ": " + refused.getMessage();
        }
    }

    private static void assertRefusedAsClosed(EventLoop loop, Op op, String where) {
        Runnable call;
        switch (op) {
            case CALL_SOON:
                call = () -> loop.callSoon(() -> {});
                break;
            case RUN_FOREVER:
                call = loop::runForever;
                break;
            default:
                call = () -> loop.runUntilComplete(() -> "done");
                break;
        }
        assertThatThrownBy(call::run)
                .as(where)
                .isInstanceOf(EventLoopClosedException.class)
                .hasMessageStartingWith("Event loop is closed");
    }
}
