package dev.loopharness.internal;

import dev.loopharness.EventLoop;
import dev.loopharness.ExceptionContext;
import dev.loopharness.ExceptionHandler;
import java.lang.System.Logger.Level;

/** The handler a loop uses unless told otherwise: logs through {@link System.Logger} "dev.loopharness". */
final class DefaultExceptionHandler implements ExceptionHandler {

    static final DefaultExceptionHandler INSTANCE = new DefaultExceptionHandler();

    private static final System.Logger LOGGER = System.getLogger("dev.loopharness");

    private DefaultExceptionHandler() {}

    /**
     * Calls a loop's handler, or this one if it has none. A handler that fails is contained: its failure goes to
     * this handler with the context it was handling, and the loop goes on; a fatal error is rethrown.
     *
     * @param loop the loop
     * @param handler the loop's handler, or {@code null}
     * @param context what to report
     */
    static void call(EventLoop loop, ExceptionHandler handler, ExceptionContext context) {
        if (handler == null) {
            INSTANCE.handle(loop, context);
            return;
        }
        try {
            handler.handle(loop, context);
        } catch (Throwable failure) {
            Throwables.rethrowIfFatal(failure);
            INSTANCE.handle(
                    loop,
                    ExceptionContext.of("Unhandled error in exception handler, while handling: " + context, failure));
        }
    }

    @Override
    public void handle(EventLoop loop, ExceptionContext context) {
        Level level = context.exception() == null ? Level.WARNING : Level.ERROR;
        if (context.exception() == null) {
            LOGGER.log(level, loop + ": " + context);
        } else {
            LOGGER.log(level, loop + ": " + context, context.exception());
        }
    }
}
