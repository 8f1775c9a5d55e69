package dev.loopharness.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The records a {@code java.util.logging} logger publishes while it is open, kept from its parent handlers so
 * that a test's expected warnings do not clutter the build's output. Records may come from any thread.
 */
public final class CapturedLog implements AutoCloseable {

    private final Logger logger;
    private final boolean useParentHandlers;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private CapturedLog(String name) {
        this.logger = Logger.getLogger(name);
        this.useParentHandlers = logger.getUseParentHandlers();
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
    }

    /**
     * Starts capturing a logger's records.
     *
     * @param name the logger's name
     * @return the capture, to close when done
     */
    public static CapturedLog of(String name) {
        return new CapturedLog(name);
    }

    /**
     * What was published so far.
     *
     * @return the records, oldest first; a live view
     */
    public List<LogRecord> records() {
        return records;
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(useParentHandlers);
    }
}
