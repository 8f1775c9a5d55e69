package dev.loopharness.spi;

import dev.loopharness.internal.Arguments;
import dev.loopharness.internal.CallSites;
import dev.loopharness.internal.StackFrames;
import java.util.List;

/**
 * The stack frames a harness prints in its reports, trimmed and written as the loop's own diagnostics write
 * them. For test harnesses; not for application code. Any thread.
 *
 * @since 0.1.0
 */
public final class Diagnostics {

    private Diagnostics() {}

    /**
     * Declares the jar or folder of a class as part of the library, so that the creation sites of tasks and
     * handles ({@link dev.loopharness.Task#createdAt()}) skip its frames. A harness calls this once for a class of
     * its own, before any loop runs.
     *
     * @param anchor a class of the harness; must not be {@code null}
     * @throws NullPointerException if {@code anchor} is {@code null}
     */
    public static void registerLibrary(Class<?> anchor) {
        CallSites.registerLibrary(Arguments.notNull(anchor, "anchor"));
    }

    /**
     * The user's frames of a stack: the frames between the innermost and outermost runs of JDK and library
     * frames.
     *
     * @param frames a stack, innermost first; must not be {@code null}
     * @return the user's frames, innermost first; empty if there are none
     * @throws NullPointerException if {@code frames} is {@code null}
     */
    public static List<StackTraceElement> userFrames(StackTraceElement[] frames) {
        return StackFrames.userFrames(Arguments.notNull(frames, "frames"));
    }

    /**
     * A frame as the loop's messages write it: without module and class-loader names.
     *
     * @param frame the frame, may be {@code null}
     * @return for example {@code com.example.Cafe.brew(Cafe.java:12)}, or {@code "unknown"} for {@code null}
     */
    public static String format(StackTraceElement frame) {
        return StackFrames.format(frame);
    }
}
