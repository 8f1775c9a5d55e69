package dev.loopharness.internal;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Platform threads that carry tasks' coroutines where the JDK has no virtual threads (Java 17 to 20): a task
 * that ends gives its thread back for the next task, of any loop, instead of letting it end, so that a task
 * costs a park/unpark round trip rather than a thread's start and join.
 *
 * <p>Ownership: the pool owns its carriers, not the loops. A carrier is a daemon thread; it runs one task at a
 * time, and between tasks it waits in the pool. A carrier that has waited {@link #idleNanos()} without a task
 * ends, so a JVM that stops making tasks is back to the threads it had within that time. A task gives its
 * carrier back only once its coroutine has ended (its thread-locals of the loop cleared), so a loop whose close
 * has returned leaves no carrier running its code, except the thread of a task its close abandoned (one that
 * would not end), which goes on alone, as it would on a thread of its own. Other thread-locals set by a
 * coroutine stay on the carrier, as they do on the threads of any pool.
 */
final class CarrierPool {

    /** How long an idle carrier waits for a task before it ends: {@code -Dloopharness.carrierIdleMillis}. */
    private static final long DEFAULT_IDLE_NANOS =
            TimeUnit.MILLISECONDS.toNanos(Math.max(1, Long.getLong("loopharness.carrierIdleMillis", 1_000L)));

    /** The name of a carrier between tasks. */
    static final String IDLE_NAME = "loopharness-carrier";

    /** The idle carriers, the one that waited least first: its stack and caches are the warmest. */
    private final ConcurrentLinkedDeque<Carrier> idle = new ConcurrentLinkedDeque<>();

    private final long idleNanos;

    CarrierPool() {
        this(DEFAULT_IDLE_NANOS);
    }

    CarrierPool(long idleNanos) {
        this.idleNanos = idleNanos;
    }

    /** How long an idle carrier waits for a task before it ends. */
    long idleNanos() {
        return idleNanos;
    }

    /** How many carriers wait for a task now. */
    int idleCount() {
        return idle.size();
    }

    /**
     * A carrier for a task's body: an idle one, or a new one. The body runs once the thread is started if it is
     * new ({@link Thread.State#NEW}), else once it is unparked.
     *
     * @param body the task's body; it must call {@link #release()} on its way out
     * @param name the thread's name while it runs the body
     * @return the carrier's thread
     */
    Thread carrier(Runnable body, String name) {
        Carrier carrier = idle.pollFirst();
        if (carrier == null) {
            carrier = new Carrier(this);
        }
        carrier.setName(name);
        carrier.next = body;
        return carrier;
    }

    /**
     * Gives the calling carrier back to its pool, for the next task; a no-op on any other thread. A body calls
     * it once it has done all it does for its task but hand control back, so that the carrier is ready before
     * the thread waiting for that hand-off goes on.
     */
    static void release() {
        Thread current = Thread.currentThread();
        if (current instanceof Carrier) {
            Carrier carrier = (Carrier) current;
            carrier.released = true;
            carrier.setName(IDLE_NAME);
            carrier.pool.idle.offerFirst(carrier);
        }
    }

    /** A pooled thread. */
    private static final class Carrier extends Thread {

        private final CarrierPool pool;

        /** The body to run next, set by the pool before the carrier is started or woken. */
        volatile Runnable next;

        /** Set when the running body has given the carrier back ({@link #release()}). Carrier thread only. */
        boolean released;

        Carrier(CarrierPool pool) {
            super(IDLE_NAME);
            this.pool = pool;
            setDaemon(true);
        }

        @Override
        public void run() {
            for (Runnable body = take(); body != null; body = awaitNext()) {
                Thread.interrupted(); // an interrupt meant for the previous task is not this one's
                try {
                    body.run();
                } catch (Throwable failure) {
                    if (!released) {
                        throw failure; // never given back: the carrier ends, as a task's own thread would
                    }
                    failedAfterRelease(failure);
                }
            }
        }

        /**
         * A body failed after it gave its carrier back (a {@link StackOverflowError} in its last hand-off, as a
         * deep coroutine can meet): the task is over for the pool, whose deque already holds this carrier. A fatal
         * error ends the thread, as it would end a task's own thread, but only once the carrier is out of the
         * pool: a dead carrier handed to the next task would never run it, and its loop would wait for ever. If
         * the pool has handed this carrier out meanwhile, the next body is on its way and its loop waits for it:
         * the carrier serves it. Either way the error goes to the thread's uncaught-exception handler, as the
         * end of a thread reports it; none is dropped.
         */
        private void failedAfterRelease(Throwable failure) {
            boolean fatal = failure instanceof VirtualMachineError || failure instanceof LinkageError;
            if (fatal && pool.idle.removeFirstOccurrence(this)) {
                throw (Error) failure;
            }
            getUncaughtExceptionHandler().uncaughtException(this, failure);
        }

        private Runnable take() {
            Runnable body = next;
            next = null;
            released = false;
            return body;
        }

        /** Waits in the pool for a body; null once it has waited the idle time and left the pool. */
        private Runnable awaitNext() {
            long deadline = System.nanoTime() + pool.idleNanos;
            while (next == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    if (pool.idle.removeFirstOccurrence(this)) {
                        return null;
                    }
                    // taken from the pool just now: its body is on its way
                    deadline = Long.MAX_VALUE / 2 + System.nanoTime();
                    left = deadline - System.nanoTime();
                }
                LockSupport.parkNanos(this, left);
            }
            return take();
        }
    }
}
