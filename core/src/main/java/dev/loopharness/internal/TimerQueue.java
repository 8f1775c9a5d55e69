package dev.loopharness.internal;

import dev.loopharness.TimerHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.function.Consumer;

/**
 * The loop's timers: a binary min-heap ordered by deadline, then by scheduling sequence, so that timers due
 * at the same time run first-in first-out. Cancelled timers stay in the heap until they reach the top or the
 * queue compacts itself: it counts the cancelled timers it holds, and drops them all once they are many and
 * make up over half of it. Confined to the thread that owns the loop.
 *
 * <p>Which timers fire, and in which order, is decided in one place: {@link #moveDue(long, Queue, SchedulePerturbation)}.
 */
final class TimerQueue {

    /** Compact the heap when more than this many cancelled timers make up over half of it. */
    static final int MIN_CANCELLED_TO_COMPACT = 100;

    private TimerHandleImpl[] heap = new TimerHandleImpl[16];
    private int size;

    /** Cancelled timers still in the heap. */
    private int cancelled;

    /** The sequence number of the next timer: ties in deadline run in scheduling order. */
    private long sequence;

    /** The sequence number for a new timer. */
    long nextSequence() {
        return sequence++;
    }

    /** Counts a timer of this queue that was cancelled while scheduled ({@link TimerHandleImpl#scheduled}). */
    void cancelled() {
        cancelled++;
    }

    /** The cancelled timers the heap still holds, for tests of compaction. */
    int cancelledCount() {
        return cancelled;
    }

    /** The earliest timer that is not cancelled, dropping the cancelled ones above it; {@code null} if none. */
    TimerHandleImpl firstLive() {
        while (size > 0 && heap[0].isCancelled()) {
            poll();
            cancelled--;
        }
        return heap[0];
    }

    /**
     * Moves every timer due at {@code now} to the ready queue, in (deadline, sequence) order, dropping cancelled
     * ones; compacts the heap first when cancelled timers crowd it. This is the only place where timers fire.
     *
     * @param now the loop's time
     * @param ready the loop's ready queue
     * @param observer told of each timer that fires, after it is queued (an explored schedule); may be {@code null}
     */
    void moveDue(long now, Queue<? super TimerHandleImpl> ready, SchedulePerturbation observer) {
        if (size == 0) {
            return;
        }
        if (cancelled > MIN_CANCELLED_TO_COMPACT && cancelled * 2 > size) {
            removeCancelled();
        }
        while (size > 0 && heap[0].when <= now) {
            TimerHandleImpl timer = poll();
            if (timer.isCancelled()) {
                cancelled--;
            } else {
                ready.add(timer);
                if (observer != null) {
                    observer.timerFired(timer);
                }
            }
        }
    }

    /** The timers not cancelled, earliest first: a snapshot. */
    List<TimerHandle> pending() {
        List<TimerHandleImpl> live = new ArrayList<>();
        forEach(timer -> {
            if (!timer.isCancelled()) {
                live.add(timer);
            }
        });
        live.sort((a, b) -> a.isBefore(b) ? -1 : b.isBefore(a) ? 1 : 0);
        return List.copyOf(live);
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void add(TimerHandleImpl timer) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        timer.scheduled = true;
        siftUp(size++, timer);
    }

    /** The earliest timer, or {@code null}. */
    TimerHandleImpl peek() {
        return heap[0];
    }

    /** Removes and returns the earliest timer; the queue must not be empty. */
    TimerHandleImpl poll() {
        TimerHandleImpl first = heap[0];
        TimerHandleImpl last = heap[--size];
        heap[size] = null;
        if (size > 0) {
            siftDown(0, last);
        }
        first.scheduled = false;
        return first;
    }

    /** Drops every cancelled timer and rebuilds the heap. */
    void removeCancelled() {
        cancelled = 0;
        int kept = 0;
        for (int i = 0; i < size; i++) {
            TimerHandleImpl timer = heap[i];
            if (timer.isCancelled()) {
                timer.scheduled = false;
            } else {
                heap[kept++] = timer;
            }
        }
        Arrays.fill(heap, kept, size, null);
        size = kept;
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i, heap[i]);
        }
    }

    /** Removes every timer, handing each to the consumer first. */
    void clear(Consumer<TimerHandleImpl> action) {
        for (int i = 0; i < size; i++) {
            heap[i].scheduled = false;
            action.accept(heap[i]);
            heap[i] = null;
        }
        size = 0;
        cancelled = 0;
    }

    /** Visits the timers in heap order (not sorted). */
    void forEach(Consumer<TimerHandleImpl> action) {
        for (int i = 0; i < size; i++) {
            action.accept(heap[i]);
        }
    }

    private void siftUp(int index, TimerHandleImpl timer) {
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            TimerHandleImpl above = heap[parent];
            if (!timer.isBefore(above)) {
                break;
            }
            heap[index] = above;
            index = parent;
        }
        heap[index] = timer;
    }

    private void siftDown(int index, TimerHandleImpl timer) {
        int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            TimerHandleImpl smaller = heap[child];
            int right = child + 1;
            if (right < size && heap[right].isBefore(smaller)) {
                child = right;
                smaller = heap[child];
            }
            if (!smaller.isBefore(timer)) {
                break;
            }
            heap[index] = smaller;
            index = child;
        }
        heap[index] = timer;
    }
}
