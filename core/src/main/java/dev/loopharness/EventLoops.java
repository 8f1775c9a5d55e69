package dev.loopharness;

import dev.loopharness.internal.Arguments;
import dev.loopharness.internal.CurrentLoop;
import dev.loopharness.internal.DefaultEventLoop;
import dev.loopharness.internal.Runner;
import java.util.Optional;

/**
 * asyncio's module-level functions: create loops, find the loop of the current thread, and run a coroutine on
 * a fresh loop from start to finish.
 *
 * <p>Each thread has a default loop, asyncio's {@code get_event_loop()}: created on first use and then handed
 * out as it is, <em>closed or not</em>. Code that closes the default loop breaks every later user of it on that
 * thread with {@code "Event loop is closed"}; prefer a fresh loop per unit of work ({@link #newEventLoop()},
 * {@link #run(Coroutine)}) or, in tests, the {@code @WithEventLoop} extension.
 *
 * @since 0.1.0
 */
public final class EventLoops {

    private EventLoops() {}

    /**
     * Creates a loop on the real clock: asyncio's {@code new_event_loop()}. The caller owns it and must {@link
     * EventLoop#close() close} it.
     *
     * @return a new loop, not running
     */
    public static EventLoop newEventLoop() {
        return new DefaultEventLoop(LoopClock.system());
    }

    /**
     * Creates a loop on the given clock, for example a {@link VirtualClock}.
     *
     * @param clock the clock; must not be {@code null}
     * @return a new loop, not running
     * @throws NullPointerException if {@code clock} is {@code null}
     */
    public static EventLoop newEventLoop(LoopClock clock) {
        return new DefaultEventLoop(Arguments.notNull(clock, "clock"));
    }

    /**
     * The loop of the current thread: asyncio's {@code get_event_loop()}. Inside a callback or coroutine, the
     * loop running it; otherwise the thread's default loop, which is created and set on first use (and after
     * {@code setEventLoop(null)}) and is returned as it is, even if somebody closed it.
     *
     * @return the loop, never {@code null}
     */
    public static EventLoop getEventLoop() {
        EventLoop running = CurrentLoop.running();
        if (running != null) {
            return running;
        }
        EventLoop loop = CurrentLoop.defaultLoop();
        if (loop == null) {
            loop = newEventLoop();
            CurrentLoop.setDefaultLoop(loop);
        }
        return loop;
    }

    /**
     * Sets the current thread's default loop: asyncio's {@code set_event_loop()}. The previous default is not
     * closed.
     *
     * @param loopOrNull the loop, or {@code null} to clear it so the next {@link #getEventLoop()} creates one
     */
    public static void setEventLoop(EventLoop loopOrNull) {
        CurrentLoop.setDefaultLoop(loopOrNull);
    }

    /**
     * The loop running on the current thread: asyncio's {@code get_running_loop()}.
     *
     * @return the loop whose callback or coroutine calls this
     * @throws IllegalStateException {@code "no running event loop"} outside callbacks and coroutines
     */
    public static EventLoop getRunningLoop() {
        EventLoop running = CurrentLoop.running();
        if (running == null) {
            throw new IllegalStateException("no running event loop");
        }
        return running;
    }

    /**
     * The loop running on the current thread, if any: asyncio's {@code _get_running_loop()}, for code that works
     * both on and off a loop. Unlike {@link #getRunningLoop()} it does not throw.
     *
     * @return the loop whose callback or coroutine calls this, or empty outside callbacks and coroutines
     * @since 0.1.0
     */
    public static Optional<EventLoop> findRunningLoop() {
        return Optional.ofNullable(CurrentLoop.running());
    }

    /**
     * The current thread's default loop as set, without creating one: what {@link #getEventLoop()} answers off a
     * running loop, if it would not have to create it. For code that sets a loop for a while and puts the previous
     * one back.
     *
     * @return the loop last set on this thread (or created there by {@link #getEventLoop()}), closed or not; empty
     *     if none is set
     * @since 0.1.0
     */
    public static Optional<EventLoop> findEventLoop() {
        return Optional.ofNullable(CurrentLoop.defaultLoop());
    }

    /**
     * Runs a coroutine on a fresh loop with the real clock and shuts the loop down: asyncio's {@code run()}.
     *
     * @param <T> the type of the result
     * @param main the coroutine; must not be {@code null}
     * @return the coroutine's result
     * @throws NullPointerException if {@code main} is {@code null}
     * @throws IllegalStateException if called from a running loop
     * @throws RuntimeException the coroutine's own exception, as the same instance
     * @see #run(LoopClock, Coroutine)
     */
    public static <T> T run(Coroutine<T> main) {
        return Runner.run(LoopClock.system(), main);
    }

    /**
     * Runs a coroutine on a fresh loop with the given clock and shuts the loop down in asyncio's order: cancel
     * the tasks still pending, run until they settle, report their failures to the exception handler, shut the
     * default executor down and wait for its threads, close the loop. With a {@link VirtualClock}, sleeps and
     * timers take no real time.
     *
     * @param <T> the type of the result
     * @param clock the loop's clock; must not be {@code null}
     * @param main the coroutine; must not be {@code null}
     * @return the coroutine's result
     * @throws NullPointerException if {@code clock} or {@code main} is {@code null}
     * @throws IllegalStateException {@code "EventLoops.run() cannot be called from a running event loop"}
     * @throws RuntimeException the coroutine's own exception, as the same instance
     */
    public static <T> T run(LoopClock clock, Coroutine<T> main) {
        return Runner.run(clock, main);
    }
}
