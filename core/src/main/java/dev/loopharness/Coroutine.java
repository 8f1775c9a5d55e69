package dev.loopharness;

/**
 * A unit of asynchronous work written in direct style: ordinary Java code that may suspend in {@link
 * Async#await}, {@link Async#sleep} and the other {@link Async} functions while it runs on an {@link
 * EventLoop}.
 *
 * <p>A coroutine does nothing until a loop runs it, through {@link EventLoop#runUntilComplete(Coroutine)},
 * {@link EventLoop#createTask(Coroutine)}, {@link EventLoops#run(Coroutine)} or {@link
 * Async#createTask(Coroutine)}. Whatever it returns becomes the result of its task; whatever it throws,
 * checked or not, becomes the task's exception and reaches whoever awaits it as the same instance.
 *
 * @param <T> the type of the result; use {@link Void} and return {@code null} for none
 * @since 0.1.0
 */
@FunctionalInterface
public interface Coroutine<T> {

    /**
     * Runs the body of this coroutine. Called once per task, on the task's own thread, and only while the loop
     * has handed control to that task: never concurrently with the loop's callbacks or other tasks.
     *
     * @return the result of the coroutine, may be {@code null}
     * @throws Exception any failure, which becomes the task's exception as it is
     */
    T run() throws Exception;
}
