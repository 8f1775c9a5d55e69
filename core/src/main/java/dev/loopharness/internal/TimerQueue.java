package dev.loopharness.internal;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The loop's timers: a binary min-heap ordered by deadline, then by scheduling sequence, so that timers due
 * at the same time run first-in first-out. Cancelled timers stay in the heap until they reach the top or the
 * loop compacts the heap. Confined to the loop's thread.
 */
final class TimerQueue {

    private TimerHandleImpl[] heap = new TimerHandleImpl[16];
    private int size;

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
