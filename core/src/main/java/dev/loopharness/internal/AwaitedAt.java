package dev.loopharness.internal;

import java.util.List;

/**
 * Where a coroutine awaited a failure that another task or callback raised: attached, in debug mode, to the
 * exception that {@code Async.await} rethrows, as a suppressed exception whose stack is the awaiting coroutine's.
 * The exception's own trace stops at the frames that raised it (another task's thread, a callback); these
 * frames add the chain of awaits above it, as Python's traceback shows {@code main -> sum_prices -> parse}.
 */
final class AwaitedAt extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** More than this many awaits of one exception add nothing a reader needs, and a retry loop would grow it. */
    private static final int MAX_PER_FAILURE = 8;

    private AwaitedAt(String message, StackTraceElement[] frames) {
        super(message, null, false, true);
        setStackTrace(frames);
    }

    /**
     * Attaches the awaiting coroutine's frames to a failure it is about to rethrow. Does nothing when the failure
     * was raised on this very stack (its trace shows these frames already), when this await site was attached
     * already, or past {@link #MAX_PER_FAILURE} sites.
     *
     * @param failure the exception the await rethrows
     * @param task the awaiting task, for the message
     */
    static void stitch(Throwable failure, TaskImpl<?> task) {
        List<StackTraceElement> frames = StackFrames.userFrames(new Throwable().getStackTrace());
        if (frames.isEmpty() || raisedHere(failure, frames.get(0))) {
            return;
        }
        int attached = 0;
        for (Throwable suppressed : failure.getSuppressed()) {
            if (suppressed instanceof AwaitedAt) {
                StackTraceElement[] seen = suppressed.getStackTrace();
                if (++attached >= MAX_PER_FAILURE || seen.length > 0 && seen[0].equals(frames.get(0))) {
                    return;
                }
            }
        }
        failure.addSuppressed(new AwaitedAt(
                "awaited by task '" + task.getName() + "' at " + StackFrames.format(frames.get(0)),
                frames.toArray(new StackTraceElement[0])));
    }

    private static boolean raisedHere(Throwable failure, StackTraceElement awaitSite) {
        for (StackTraceElement frame : failure.getStackTrace()) {
            if (frame.equals(awaitSite)) {
                return true;
            }
        }
        return false;
    }
}
