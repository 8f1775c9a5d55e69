package dev.loopharness.samples.report;

import dev.loopharness.ExceptionContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A failure as the user sees it: where it surfaced, its type, its message and its top frames.
 *
 * @param where where it surfaced: "thrown by ...", "test readsPrices()", "exception handler"
 * @param type the exception's class name, or a description for a report without exception
 * @param message the message as it is
 * @param frames the top frames, at most three
 * @param exception the exception itself, or {@code null} for a report without one
 */
public record Failure(String where, String type, String message, List<String> frames, Throwable exception) {

    /** How many frames a failure keeps. */
    public static final int FRAMES = 3;

    /** Copies the frames. */
    public Failure {
        frames = List.copyOf(frames);
    }

    /**
     * Describes a thrown exception.
     *
     * @param where where it surfaced
     * @param thrown the exception
     * @return the failure
     */
    public static Failure thrown(String where, Throwable thrown) {
        List<String> frames = new ArrayList<>();
        Arrays.stream(thrown.getStackTrace()).limit(FRAMES).forEach(frame -> frames.add(frame.toString()));
        return new Failure(where, thrown.getClass().getName(), String.valueOf(thrown.getMessage()), frames, thrown);
    }

    /**
     * Describes what an exception handler received.
     *
     * @param context what the handler received
     * @return the failure
     */
    public static Failure reported(ExceptionContext context) {
        Throwable exception = context.exception();
        String type = exception == null
                ? "ExceptionContext (no exception)"
                : "ExceptionContext with " + exception.getClass().getName();
        StringBuilder message = new StringBuilder(context.message());
        if (exception != null) {
            message.append(": ").append(exception);
        }
        List<String> frames = new ArrayList<>();
        if (exception != null) {
            Arrays.stream(exception.getStackTrace()).limit(FRAMES).forEach(frame -> frames.add(frame.toString()));
        }
        return new Failure("the loop's exception handler received", type, message.toString(), frames, exception);
    }
}
