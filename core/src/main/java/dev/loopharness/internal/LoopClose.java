package dev.loopharness.internal;

import dev.loopharness.EventLoopClosedException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The close of a loop: asyncio's {@code close}, with what asyncio leaves unsaid made visible. In order
 * ({@link #close}): the failures nobody retrieved are reported, the record of who closed the loop is taken, the
 * state becomes CLOSED, what waits to run is dropped and counted ({@link DroppedWork}), every pending task is
 * unwound, the scheduled-executor views are told, and the default executor refuses new work. Cancelling the
 * tasks and running them to their end first, and waiting for the default executor, is {@link Runner}'s shutdown.
 *
 * <p>Threads: the close runs on the thread that closes the loop, which the loop's guards let through; the record
 * and the close listeners are safe from any thread.
 */
final class LoopClose {

    private final DefaultEventLoop loop;

    /** Told when the loop closes: the scheduled-executor views that have pending tasks. Any thread. */
    private final Set<Runnable> listeners = Collections.synchronizedSet(new LinkedHashSet<>());

    private final DroppedWork dropped = new DroppedWork();
    private volatile CloseRecord record;

    LoopClose(DefaultEventLoop loop) {
        this.loop = loop;
    }

    /**
     * Closes the loop unless it is closed already; refuses a running loop.
     *
     * @param ownerDescription the owner the record names, or {@code null} for the frame that called {@code close()}
     */
    void close(String ownerDescription) {
        LoopState state = loop.state();
        if (state.isRunning()) {
            throw new IllegalStateException("Cannot close a running event loop");
        }
        if (state == LoopState.CLOSED) {
            return;
        }
        loop.unretrieved.report(loop);
        record = ownerDescription != null
                ? CloseRecord.byOwner(loop.name(), ownerDescription)
                : CloseRecord.capture(loop.name(), loop.isDebug(), activityHere());
        loop.transition(LoopState.CLOSED);
        dropPending();
        loop.tasks.unwindAll(record, loop.unwindTimeoutNanos());
        runListeners();
        loop.foreign.closeDefaultExecutor();
        dropped.log(loop);
    }

    /** The exception every call on the closed loop receives, naming who closed it and where. Any thread. */
    EventLoopClosedException exception() {
        CloseRecord closed = record;
        return closed == null
                ? new EventLoopClosedException("Event loop is closed", null, null, null)
                : closed.exception();
    }

    /**
     * Drops what waits to run, as asyncio drops its ready queue, but so that callers can tell: every dropped
     * handle reports {@code isCancelled()}, and the count is kept ({@link #dropped()}). Runs after the state is
     * CLOSED, so a post racing with the close is either seen here or refused by its sender.
     */
    private void dropPending() {
        SchedulePerturbation perturbation = loop.perturbation();
        if (perturbation != null) {
            perturbation.release(loop.ready, true);
        }
        for (ReadyHandle handle = loop.ready.poll(); handle != null; handle = loop.ready.poll()) {
            if (handle.drop() && !(handle instanceof TaskStep)) {
                dropped.callbacks++;
            }
        }
        loop.timers.clear(timer -> {
            if (timer.drop()) {
                dropped.timers++;
            }
        });
        for (ReadyHandle handle = loop.incoming.poll(); handle != null; handle = loop.incoming.poll()) {
            if (handle.drop()) {
                dropped.fromOtherThreads++;
            }
        }
    }

    /** What the close dropped without running; all zero while the loop is open. */
    DroppedWork dropped() {
        return dropped;
    }

    /** Counts a task of a scheduled-executor view that the close cancelled before it ran. */
    void viewTaskDropped() {
        dropped.viewTasks++;
    }

    /** Has {@code listener} run when the loop closes, after its tasks are unwound. Any thread. */
    void addListener(Runnable listener) {
        listeners.add(listener);
    }

    /** Forgets a listener added with {@link #addListener(Runnable)}. Any thread. */
    void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    private void runListeners() {
        List<Runnable> toRun;
        synchronized (listeners) {
            toRun = new ArrayList<>(listeners);
            listeners.clear();
        }
        toRun.forEach(Runnable::run);
    }

    /** What runs here: this loop's activity, or that of the loop whose coroutine or callback closes this one. */
    private String activityHere() {
        String activity = loop.ownerGuard.activity();
        if (activity != null) {
            return activity;
        }
        DefaultEventLoop running = CurrentLoop.running();
        return running != null ? running.ownerGuard.activity() : null;
    }
}
