package dev.loopharness.internal;

import dev.loopharness.Task;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What each task waits on while it waits on a queue or synchronization primitive, for leak and hang reports.
 * Reports may be written on another thread (a watchdog), so the map is concurrent; labels are computed when a
 * report asks, from the primitive's state at that moment.
 */
final class WaitLabels {

    private static final Map<Task<?>, Supplier<String>> LABELS = new ConcurrentHashMap<>();

    private WaitLabels() {}

    static void enter(Task<?> task, Supplier<String> label) {
        LABELS.put(task, label);
    }

    static void exit(Task<?> task) {
        LABELS.remove(task);
    }

    /**
     * What a task waits on.
     *
     * @param task the task
     * @return for example {@code LoopQueue 'prices' (full, 16 items)}, or {@code null}
     */
    static String of(Task<?> task) {
        Supplier<String> label = LABELS.get(task);
        return label == null ? null : label.get();
    }
}
