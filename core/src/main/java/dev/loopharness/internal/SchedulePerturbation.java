package dev.loopharness.internal;

import java.util.ArrayDeque;

/**
 * What the loop consults, under schedule exploration, at the points where real time would vary its schedule: when
 * a timer fires, and when work handed over from another thread arrives. The loop's own guarantees are not among
 * them: callbacks scheduled with {@code callSoon} stay first-in first-out and a task's steps stay in order, since
 * neither ever passes through here. Confined to the loop's thread.
 */
interface SchedulePerturbation {

    /**
     * Makes a new timer, which may fire later than its deadline or ahead of timers due at the same instant.
     *
     * @param loop the loop
     * @param callback the timer's callback
     * @param createdAt where it was created, or {@code null}
     * @param deadline the deadline asked for, in loop time
     * @param sequence the loop's scheduling sequence number, which orders ties first-in first-out
     * @return the timer to queue
     */
    TimerHandleImpl timer(
            DefaultEventLoop loop, Runnable callback, StackTraceElement createdAt, long deadline, long sequence);

    /**
     * A timer is due and joins the ready queue now.
     *
     * @param timer the timer
     */
    void timerFired(TimerHandleImpl timer);

    /**
     * Work posted from another thread arrives: it may be held back for a few loop iterations.
     *
     * @param handle the posted handle
     * @return {@code true} if it is held, to be released by {@link #release(ArrayDeque, boolean)}
     */
    boolean holdBack(ReadyHandle handle);

    /**
     * Moves the held work whose turn has come to the ready queue, in the order it arrived; called once per loop
     * iteration.
     *
     * @param ready the loop's ready queue
     * @param all whether to release everything held: the loop is closing
     */
    void release(ArrayDeque<ReadyHandle> ready, boolean all);

    /**
     * Whether work is held: the loop must iterate rather than wait then.
     *
     * @return {@code true} while something is held
     */
    boolean holding();
}
