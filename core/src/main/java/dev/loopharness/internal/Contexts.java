package dev.loopharness.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * The context of context variables: asyncio's {@code contextvars.Context}. Each thread has a current context
 * (a cell); a task's thread starts in a copy of the context its task was created in, and the loop runs each
 * callback in a fresh copy of the context captured when the callback was scheduled. A copy is cheap: the values
 * are an immutable map, replaced whole on each set, so copying is sharing the map.
 *
 * <p>Nothing is captured or swapped until the first variable is set anywhere: until then a callback carries
 * {@code null} and runs as it did before context variables existed.
 */
public final class Contexts {

    /** Whether any variable was ever set: until then, callbacks capture and swap nothing. */
    private static volatile boolean used;

    private static final ThreadLocal<Cell> CURRENT = new ThreadLocal<>();

    private Contexts() {}

    /**
     * A context: its identity is what a token checks; its values are never changed in place.
     */
    public static final class Cell {
        Map<Object, Object> values;

        Cell(Map<Object, Object> values) {
            this.values = values;
        }
    }

    /**
     * The values to run scheduled work with, captured when it is scheduled.
     *
     * @return the current values, or {@code null} when empty or when no variable was ever set
     */
    static Map<Object, Object> capture() {
        if (!used) {
            return null;
        }
        Cell cell = CURRENT.get();
        return cell == null || cell.values.isEmpty() ? null : cell.values;
    }

    /**
     * Tells whether scheduled work that captured {@code captured} must run in a context of its own.
     *
     * @param captured what {@link #capture()} gave
     * @return {@code false} when nothing was ever set: run it as it is
     */
    static boolean mustSwap(Map<Object, Object> captured) {
        return captured != null || used;
    }

    /**
     * Runs a callback in a fresh context holding the captured values, and restores the thread's context after.
     *
     * @param captured the values, or {@code null} for none
     * @param callback the callback
     */
    static void runIn(Map<Object, Object> captured, Runnable callback) {
        Cell saved = CURRENT.get();
        // no cell for an empty context: current() makes one if the callback sets a variable
        CURRENT.set(captured == null ? null : new Cell(captured));
        try {
            callback.run();
        } finally {
            CURRENT.set(saved);
        }
    }

    /**
     * Starts a task's thread in a copy of the values captured when the task was created.
     *
     * @param captured the values, or {@code null} for none
     */
    static void enterTask(Map<Object, Object> captured) {
        if (captured != null) {
            CURRENT.set(new Cell(captured));
        } else if (CURRENT.get() != null) {
            CURRENT.remove(); // a thread that ran other work before starts this task in an empty context
        }
    }

    /**
     * The calling thread's current context, made on first use for a thread outside any loop.
     *
     * @return the context
     */
    public static Cell current() {
        Cell cell = CURRENT.get();
        if (cell == null) {
            cell = new Cell(Map.of());
            CURRENT.set(cell);
        }
        return cell;
    }

    /**
     * A variable's value in the current context.
     *
     * @param variable the variable
     * @return its value, or {@code null} if it has none here
     */
    public static Object get(Object variable) {
        Cell cell = CURRENT.get();
        return cell == null ? null : cell.values.get(variable);
    }

    /**
     * Sets or removes a variable's value in a context, replacing its values with a changed copy.
     *
     * @param cell the context, the calling thread's current one
     * @param variable the variable
     * @param value the value, or {@code null} to remove it
     */
    public static void put(Cell cell, Object variable, Object value) {
        used = true;
        Map<Object, Object> values = new HashMap<>(cell.values);
        if (value == null) {
            values.remove(variable);
        } else {
            values.put(variable, value);
        }
        cell.values = values.isEmpty() ? Map.of() : values;
    }
}
