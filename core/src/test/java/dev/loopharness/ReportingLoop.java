package dev.loopharness;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loop in virtual time whose exception handler keeps every report, for tests that check what was, or was not,
 * reported (a failure nobody retrieved, say). Closing it closes the loop.
 */
final class ReportingLoop implements AutoCloseable {

    private final List<ExceptionContext> reports = new CopyOnWriteArrayList<>();
    private final EventLoop loop = EventLoops.newEventLoop(new VirtualClock());

    ReportingLoop() {
        loop.setExceptionHandler((l, context) -> reports.add(context));
    }

    EventLoop loop() {
        return loop;
    }

    /** The reports so far, in order. */
    List<ExceptionContext> reports() {
        return reports;
    }

    @Override
    public void close() {
        loop.close();
    }
}
