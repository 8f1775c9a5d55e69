package dev.loopharness.internal;

/**
 * Where the calling thread stands with respect to a loop, for the thread-safe views of it: may it act on the
 * loop directly, and would a blocking wait here deadlock.
 */
final class LoopThreads {

    private LoopThreads() {}

    /**
     * Tells whether the calling thread runs the loop right now: its own thread while it runs a callback, or the
     * thread of one of its coroutines (which runs only while the loop's thread waits for it). Unlike {@link
     * DefaultEventLoop#isOwnerThread()}, a loop that is not running belongs to no thread here, so that two other
     * threads never touch it at once.
     *
     * @param loop the loop
     * @return {@code true} if this thread may schedule on the loop directly
     */
    static boolean isLoopThread(DefaultEventLoop loop) {
        return CurrentLoop.running() == loop;
    }

    /**
     * Refuses a blocking wait on the loop's own thread: the loop could not run what is waited for.
     *
     * @param loop the loop
     * @param call the blocking call, for the message: {@code "get()"}
     * @param waitedFor what it waits for, for the message: {@code "the task"}
     * @throws IllegalStateException on the loop's own thread or one of its coroutines
     */
    static void refuseBlocking(DefaultEventLoop loop, String call, String waitedFor) {
        if (isLoopThread(loop)) {
            throw new IllegalStateException("Blocking " + call + " on the event loop's own thread would deadlock: the"
                    + " loop (" + loop + ") cannot run " + waitedFor + " while it waits. Inside a coroutine use"
                    + " Async.await(...) on the future (every future of loop.asScheduledExecutorService() is a"
                    + " CompletableFuture); in a callback, chain on it with whenComplete(...); or block on another"
                    + " thread");
        }
    }
}
