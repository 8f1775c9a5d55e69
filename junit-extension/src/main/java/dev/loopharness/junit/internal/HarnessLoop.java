package dev.loopharness.junit.internal;

import dev.loopharness.Coroutine;
import dev.loopharness.EventLoop;
import dev.loopharness.EventLoops;
import dev.loopharness.Handle;
import dev.loopharness.LoopClock;
import dev.loopharness.Task;
import dev.loopharness.TimerHandle;
import dev.loopharness.VirtualClock;
import dev.loopharness.junit.ClockMode;
import dev.loopharness.junit.LoopCallbackError;
import dev.loopharness.spi.ExploredSchedule;
import dev.loopharness.spi.OwnedLoop;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A loop the harness owns: created for a scope (a test, a class, the run), guarded so that tests cannot close or
 * stop it, run by one test invocation at a time, shut down in asyncio's order when its scope ends. It owns the
 * loop and its turn; the timed run ({@link TimedRun}) and what each test left behind ({@link LeakAttribution})
 * are its two collaborators.
 *
 * <p>Invocations on a shared loop take turns (a lock): the loop runs on the thread of the invocation that holds
 * it, so parallel tests never meet "This event loop is already running"; the price is that they do not overlap
 * on that loop. Every task, timer and callback is tagged with the test that scheduled it ({@link Attribution}),
 * transitively: work created while a callback, timer or task step runs belongs to the test that created that
 * callback, and work posted from other threads to the test that holds the turn, or to the scope between tests.
 * So what a test leaves behind and the errors it causes are reported to that test.
 */
final class HarnessLoop implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger("dev.loopharness.junit");

    private final OwnedLoop owned;
    private final EventLoop loop;
    private final String owner;
    private final VirtualClock virtualClock;
    private final ReentrantLock turn = new ReentrantLock();
    private final LeakAttribution leaks;
    private final TimedRun timed;
    private final BodyThread bodyThread;

    /** For a SHARED loop, what its close reports as the run ends; {@code null} for other scopes. */
    private RunEndCheck runEnd;

    HarnessLoop(ClockMode clock, boolean debug, String owner) {
        this.virtualClock = clock == ClockMode.VIRTUAL ? new VirtualClock() : null;
        this.owned = OwnedLoop.create(virtualClock != null ? virtualClock : LoopClock.system());
        this.loop = owned.loop();
        this.owner = owner;
        this.leaks = new LeakAttribution(owned);
        this.timed = new TimedRun(owned, leaks);
        this.bodyThread = new BodyThread(owned, owner, TimedRun.BLOCKED_GRACE);
        loop.setDebug(debug);
        owned.tagWork(null, Attribution::inherit);
        owned.guard(owner);
        loop.setExceptionHandler((ignored, context) -> leaks.report(context));
    }

    EventLoop loop() {
        return loop;
    }

    /**
     * Decides whether an awaited foreign stage that another thread completes after virtual time jumped fails the
     * test that awaited it (the default) or only warns.
     */
    void undeclaredWorkFails(boolean fails) {
        owned.setUndeclaredCompletionFails(fails);
    }

    /** Has an explored schedule perturb the loop's timers and hand-offs; before the loop runs. */
    void explore(ExploredSchedule schedule) {
        owned.explore(schedule);
    }

    VirtualClock virtualClock() {
        return virtualClock;
    }

    /**
     * Runs a test or lifecycle method as a coroutine on the loop, waiting for its turn on a shared loop.
     *
     * @param body the method
     * @param tag the test it belongs to
     * @param name the test's name, for messages and the task's name
     * @param timeout the real time it may take
     * @param watchdog times it
     * @param onCaller whether the body starts on the calling thread (see {@link TimedRun#asCoroutine})
     */
    void run(Coroutine<Object> body, Object tag, String name, Duration timeout, Watchdog watchdog, boolean onCaller) {
        turn.lock();
        try {
            owned.setActivity(Messages.activity(name));
            owned.tagWork(Attribution.of((String) tag));
            owned.setNestedRunHint(Messages.nestedRun(name));
            timed.asCoroutine(body, tag, name, timeout, watchdog, onCaller);
        } finally {
            owned.setNestedRunHint(null);
            owned.tagWork(null);
            owned.setActivity(null);
            turn.unlock();
        }
    }

    /**
     * Runs a test or lifecycle method on the scope's {@link BodyThread}, which drives the loop itself ({@code body =
     * TEST_THREAD}), waiting for its turn on a shared loop. Work it creates belongs to the test; {@code
     * EventLoops.getEventLoop()} answers the loop on that thread meanwhile; the loop may be stopped, not closed.
     * Past the timeout the test's tasks are cancelled and the thread is interrupted, and the test fails with a
     * {@link dev.loopharness.junit.LoopTimeoutError} to which its own failure is attached; a thread still blocked
     * is abandoned.
     *
     * @param body the method
     * @param tag the test it belongs to
     * @param name the test's name, for messages
     * @param timeout the real time it may take
     * @throws Exception what the method throws
     */
    void runOnTestThread(Coroutine<Object> body, Object tag, String name, Duration timeout) throws Exception {
        turn.lock();
        AtomicBoolean live = new AtomicBoolean(true);
        try {
            owned.setActivity(Messages.activity(name));
            owned.tagWork(Attribution.of((String) tag));
            owned.allowStop(true);
            Coroutine<Object> onTheLoop = () -> {
                EventLoop previousDefault = EventLoops.findEventLoop().orElse(null);
                EventLoops.setEventLoop(loop);
                try {
                    return body.run();
                } finally {
                    EventLoops.setEventLoop(previousDefault);
                }
            };
            // past the timeout the body's tasks are cancelled and the loop stopped, if the body still drives it: a
            // post that the loop runs only later, in the next test, does nothing
            bodyThread.run(
                    onTheLoop,
                    name,
                    timeout,
                    virtualClock != null,
                    () -> loop.callSoonThreadsafe(() -> {
                        if (live.get()) {
                            leaks.pendingTasks(tag).forEach(task -> task.cancel());
                            loop.stop();
                        }
                    }));
        } finally {
            live.set(false);
            owned.allowStop(false);
            owned.tagWork(null);
            owned.setActivity(null);
            turn.unlock();
        }
    }

    /**
     * Checks what a test left behind, under its turn: errors from callbacks and unretrieved task exceptions
     * (always an error), and pending work, which the leak policy decides about.
     */
    LeakCheck check(Object tag, String name) {
        return underTurn(() -> leaks.check(tag, name, false));
    }

    /**
     * Checks what a scope left behind as it ends: the work of its class-level methods ({@code tag}) and the work
     * no test owns (posted from other threads between tests, say).
     */
    LeakCheck checkScope(Object tag, String name) {
        return underTurn(() -> leaks.check(tag, name, true));
    }

    /** Cancels leftovers and runs the loop until they have settled. */
    void cancel(LeakCheck leftovers) {
        underTurn(() -> {
            leaks.cancel(leftovers);
            return null;
        });
    }

    private <T> T underTurn(Supplier<T> action) {
        turn.lock();
        try {
            return action.get();
        } finally {
            turn.unlock();
        }
    }

    /**
     * Shuts the loop down in asyncio's order; its guard is lifted for that, and the record of who closed it names
     * the owner.
     */
    @Override
    public void close() {
        AssertionError leftovers = runEnd == null ? null : runEnd.beforeClose(this);
        try {
            underTurn(() -> {
                owned.shutdownAsOwner(owner);
                return null;
            });
        } finally {
            bodyThread.close();
        }
        owned.droppedAtClose()
                .ifPresent(
                        dropped -> LOGGER.log(Level.WARNING, Messages.droppedAtClose(loop.toString(), owner, dropped)));
        if (leftovers != null) {
            throw leftovers;
        }
    }

    /** Makes the close of a SHARED loop report what it still holds as the run ends. */
    void checkAtRunEnd(RunEndCheck check) {
        this.runEnd = check;
    }

    /** What a test left behind. */
    record LeakCheck(
            List<Task<?>> tasks,
            List<TimerHandle> timers,
            List<Handle> callbacks,
            long now,
            LoopCallbackError callbackError,
            List<String> warnings) {
        boolean leaked() {
            return !tasks.isEmpty() || !timers.isEmpty() || !callbacks.isEmpty();
        }
    }
}
