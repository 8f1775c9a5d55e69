package dev.loopharness.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Callbacks scheduled from other threads, and the loop's wait for them: an intrusive multi-producer
 * single-consumer queue in which each {@link ReadyHandle} is its own node, with the flag by which a waiting
 * consumer asks to be woken. The loop's thread is the only consumer.
 *
 * <p>A producer ({@link #post}) swaps its handle in as the tail with one atomic exchange, links its predecessor to
 * it with a release store, and then reads the flag. The exchange is what counts: from then on the queue is not
 * empty ({@link #isEmpty} compares the tail with the head), and a {@link #poll} that finds the link not yet
 * written waits the few instructions until the producer writes it. A consumer about to park first raises the
 * flag ({@link #beginWait}) and then calls {@link #isEmpty}, which reads the tail. All four accesses are volatile,
 * so at least one side sees the other: the consumer sees the handle and does not park, or the producer sees the
 * flag and unparks the consumer. The link itself needs no fence, which keeps a post to one exchange, one
 * release store and one volatile read on the common path.
 *
 * <p>The tail and the head have cache lines of their own (the padding superclasses): producers write the tail
 * with every post and the consumer writes the head with every poll, and with both on one line the
 * cross-thread benchmark took about twice as long per callback ({@code benchmarks/README.md}, "Row 2"). The
 * flag sits with the tail: producers read it with every post, the consumer writes it twice a wait.
 */
final class IncomingQueue extends IncomingQueueHead {

    private static final VarHandle TAIL;
    private static final VarHandle WAITING;

    /** Polls that find a producer between its exchange and its link spin this often, then yield to it. */
    private static final int SPINS_BEFORE_YIELD = 64;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(IncomingQueueTail.class, "tail", ReadyHandle.class);
            WAITING = lookup.findVarHandle(IncomingQueueTail.class, "waiting", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    IncomingQueue() {
        ReadyHandle stub = new ReadyHandle(null, null, null);
        head = stub;
        TAIL.setVolatile(this, stub);
    }

    /** Appends a handle and wakes the consumer if it waits. Safe from any thread. */
    void post(ReadyHandle handle) {
        offer(handle);
        if ((boolean) WAITING.getVolatile(this) && WAITING.compareAndSet(this, true, false)) {
            LockSupport.unpark(waiter);
        }
    }

    /** Appends a handle without waking anyone. Safe from any thread. */
    void offer(ReadyHandle handle) {
        exchange(handle).linkIncoming(handle);
    }

    /** The first half of an offer: makes the handle the tail and returns its predecessor, still to be linked. */
    ReadyHandle exchange(ReadyHandle handle) {
        return (ReadyHandle) TAIL.getAndSet(this, handle);
    }

    /**
     * Removes the next handle, or returns {@code null} if no producer has exchanged one in. A handle that is
     * exchanged in but not yet linked is waited for. Consumer only.
     */
    ReadyHandle poll() {
        ReadyHandle current = head;
        ReadyHandle next = current.nextIncoming();
        if (next == null) {
            if (TAIL.getVolatile(this) == current) {
                return null;
            }
            next = awaitLink(current);
        }
        head = next;
        // no producer writes to a node that is not the tail: the unlink is the consumer's alone
        current.unlinkIncoming();
        return next;
    }

    private static ReadyHandle awaitLink(ReadyHandle node) {
        ReadyHandle next;
        int spins = 0;
        while ((next = node.nextIncoming()) == null) {
            if (++spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        return next;
    }

    /**
     * Tells whether no producer has exchanged a handle in since the last poll: a volatile read of the tail.
     * Consumer only.
     */
    boolean isEmpty() {
        return TAIL.getVolatile(this) == head;
    }

    /**
     * Asks to be woken by the next post: the calling thread then checks {@link #isEmpty} and parks while it is
     * true, and calls {@link #endWait} when it stops waiting. A post may still unpark it after that, so a later
     * park can end early. Consumer only.
     */
    void beginWait() {
        waiter = Thread.currentThread();
        WAITING.setVolatile(this, true);
    }

    /** Withdraws the request of {@link #beginWait}. Consumer only. */
    void endWait() {
        WAITING.setVolatile(this, false);
    }

    /**
     * Parks the consumer until a producer posts, or until the timeout. An interrupt does not end the wait (a
     * waiting loop would spin): it is kept for {@link #takeInterrupt()}. Consumer only.
     *
     * @param timeoutNanos the longest wait, or -1 for none
     * @return whether handles arrived
     */
    boolean awaitPost(long timeoutNanos) {
        long deadline = timeoutNanos < 0 ? 0 : System.nanoTime() + timeoutNanos;
        beginWait();
        try {
            // a wakeup left over from a task's handoff may end a park early: only arrivals or the deadline count
            while (isEmpty()) {
                if (timeoutNanos < 0) {
                    LockSupport.park(this);
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
        } finally {
            endWait();
        }
        interrupted |= Thread.interrupted();
        return !isEmpty();
    }

    /** Whether an interrupt arrived during a wait since the last call; clears it. Consumer only. */
    boolean takeInterrupt() {
        boolean was = interrupted;
        interrupted = false;
        return was;
    }
}

/** Keeps the tail off the cache line of whatever was allocated before the queue. */
@SuppressWarnings("unused")
class IncomingQueuePadBeforeTail {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

/** The producers' side. */
class IncomingQueueTail extends IncomingQueuePadBeforeTail {
    /** The last handle exchanged in; accessed through {@code IncomingQueue.TAIL}. */
    @SuppressWarnings("unused")
    volatile ReadyHandle tail;

    /** Set while the consumer waits; the first producer to clear it unparks the waiter. Through {@code WAITING}. */
    @SuppressWarnings("unused")
    volatile boolean waiting;

    /**
     * The thread that last called {@code beginWait}. Written before {@link #waiting} is set and read after it is
     * seen set, so the flag's volatile accesses publish it.
     */
    Thread waiter;
}

/** Keeps the consumer's head off the producers' line (two lines, for processors that fetch lines in pairs). */
@SuppressWarnings("unused")
class IncomingQueuePadBeforeHead extends IncomingQueueTail {
    long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
}

/** The consumer's side. */
class IncomingQueueHead extends IncomingQueuePadBeforeHead {
    /** An interrupt that arrived while the consumer waited: kept until the loop's run ends. Consumer only. */
    boolean interrupted;

    /** The last node consumed (at first a stub); its successor is the next to take. Consumer only. */
    ReadyHandle head;
}
