package dev.loopharness;

/**
 * Receives what an {@link EventLoop} cannot report to anybody else: an exception thrown by a callback, a
 * task's exception that was never retrieved, a slow callback in debug mode. asyncio's exception handler.
 *
 * <p>The loop calls the handler on its own thread. A handler that throws does not stop the loop: its failure
 * is contained and logged together with the context it was handling.
 *
 * @since 0.1.0
 * @see EventLoop#setExceptionHandler(ExceptionHandler)
 */
@FunctionalInterface
public interface ExceptionHandler {

    /**
     * Handles one report.
     *
     * @param loop the loop that reports, never {@code null}
     * @param context what happened, never {@code null}
     */
    void handle(EventLoop loop, ExceptionContext context);
}
