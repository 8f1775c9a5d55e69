package dev.loopharness.internal;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Callbacks scheduled from other threads: an intrusive multi-producer single-consumer queue in which each
 * {@link ReadyHandle} is its own node. A producer swaps itself in as the tail with one atomic exchange and
 * then links its predecessor to it; the loop's thread is the only consumer.
 *
 * <p>Between a producer's exchange and its link, the consumer may see the queue end early; that producer
 * wakes the loop after linking, so nothing is lost.
 */
final class IncomingQueue {

    private final AtomicReference<ReadyHandle> tail;

    /** The last node consumed (at first a stub); its successor is the next to take. Consumer only. */
    private ReadyHandle head;

    IncomingQueue() {
        ReadyHandle stub = new ReadyHandle(null, null, null);
        head = stub;
        tail = new AtomicReference<>(stub);
    }

    /** Appends a handle. Safe from any thread. */
    void offer(ReadyHandle handle) {
        ReadyHandle previous = tail.getAndSet(handle);
        previous.linkIncoming(handle);
    }

    /** Removes the next handle, or returns {@code null}. Consumer only. */
    ReadyHandle poll() {
        ReadyHandle next = head.nextIncoming();
        if (next != null) {
            head = next;
        }
        return next;
    }

    /** Tells whether there is nothing to take right now. Consumer only. */
    boolean isEmpty() {
        return head.nextIncoming() == null;
    }
}
