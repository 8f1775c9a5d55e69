package dev.loopharness.internal;

import dev.loopharness.ExceptionContext;
import dev.loopharness.Handle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A loop's ready queue and the running of what is in it: the only place where the loop runs callbacks, task
 * steps among them. A callback's exception goes to the loop's exception handler and the loop goes on; in debug
 * mode a callback slower than the loop's threshold is reported. Confined to the thread that owns the loop.
 */
final class CallbackRunner {

    private final DefaultEventLoop loop;
    private final ArrayDeque<ReadyHandle> ready = new ArrayDeque<>();

    /** The callback running on the loop's thread, whose tag work it creates inherits. */
    private ReadyHandle running;

    /** Time spent in task steps during the current callback, which the tasks report themselves (debug mode). */
    private long stepNanos;

    CallbackRunner(DefaultEventLoop loop) {
        this.loop = loop;
    }

    /** The ready queue, first in first out. */
    ArrayDeque<ReadyHandle> ready() {
        return ready;
    }

    /** The callback that runs now, or {@code null}. */
    ReadyHandle running() {
        return running;
    }

    /** Counts time a task step took inside the current callback, so that the callback is not blamed for it. */
    void addStepNanos(long nanos) {
        stepNanos += nanos;
    }

    /**
     * The callbacks of its users waiting in the ready queue, first to run first: a callback chain that posts
     * itself again each time it runs shows here once its owner has stopped running the loop. Left out: cancelled
     * handles, and the loop's own callbacks (task steps, the wake-ups and done callbacks of futures), which belong
     * to a task or future reported as such; tasks of the executor view count as its users' callbacks. Call it on
     * the thread that ran the loop, or under the lock that orders its runs, while the loop does not run.
     */
    List<Handle> pendingCallbacks() {
        List<Handle> found = new ArrayList<>();
        for (ReadyHandle handle : ready) {
            Runnable callback = handle.callback();
            if (!(handle instanceof TaskStep) && callback != null && !isOwnCallback(callback)) {
                found.add(handle);
            }
        }
        return found;
    }

    private static boolean isOwnCallback(Runnable callback) {
        return callback.getClass().getName().startsWith(CallbackRunner.class.getPackageName() + ".")
                && !(callback instanceof LoopScheduledFuture);
    }

    /** Runs the callbacks that are ready now, and not those they schedule: one iteration's batch. */
    void runBatch(boolean timed) {
        int count = ready.size();
        if (timed) {
            for (int i = 0; i < count; i++) {
                runTimed(ready.poll());
            }
        } else {
            for (int i = 0; i < count; i++) {
                run(ready.poll());
            }
        }
    }

    /** Runs one callback unless it was cancelled. */
    private void run(ReadyHandle handle) {
        Runnable target = handle.take();
        if (target != null) {
            run(handle, target);
        }
    }

    /** Not reentrant: a callback cannot run its own loop (a nested run is refused), so nothing runs around it. */
    private void run(ReadyHandle handle, Runnable target) {
        running = handle;
        try {
            if (Contexts.mustSwap(handle.context)) {
                Contexts.runIn(handle.context, target);
            } else {
                target.run();
            }
        } catch (Throwable t) {
            Throwables.rethrowIfFatal(t);
            loop.callExceptionHandler(ExceptionContext.of("Exception in callback " + handle.describe(target), t)
                    .withHandle(handle));
        } finally {
            running = null;
        }
    }

    private void runTimed(ReadyHandle handle) {
        Runnable target = handle.take();
        if (target == null) {
            return;
        }
        stepNanos = 0;
        long start = System.nanoTime();
        run(handle, target);
        long took = System.nanoTime() - start - stepNanos;
        if (took >= loop.slowCallbackNanos()) {
            loop.callExceptionHandler(ExceptionContext.of(
                            "Executing " + handle.describe(target) + " took " + Durations.seconds(took) + " seconds",
                            null)
                    .withHandle(handle));
        }
    }
}
