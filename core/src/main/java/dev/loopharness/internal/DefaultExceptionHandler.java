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
