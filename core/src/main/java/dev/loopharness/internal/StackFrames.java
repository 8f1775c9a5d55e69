package dev.loopharness.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Trims a thread's stack to the user's frames: without the JDK's and this library's frames around them. */
public final class StackFrames {

    private static final Set<String> API_CLASSES = Set.of(
            "dev.loopharness.Async",
            "dev.loopharness.EventLoopClosedException",
            "dev.loopharness.EventLoops",
            "dev.loopharness.LoopBarrier",
            "dev.loopharness.LoopCondition",
            "dev.loopharness.LoopEvent",
            "dev.loopharness.LoopLock",
            "dev.loopharness.LoopQueue",
            "dev.loopharness.LoopSemaphore",
            "dev.loopharness.TaskGroup",
            "dev.loopharness.VirtualClock");

    private StackFrames() {}

    /**
     * The frames between the innermost and outermost runs of JDK and library frames.
     *
     * @param frames a stack, innermost first
     * @return the user's frames, innermost first; empty if there are none
     */
    public static List<StackTraceElement> userFrames(StackTraceElement[] frames) {
        int from = 0;
        while (from < frames.length && isInfrastructure(frames[from].getClassName())) {
            from++;
        }
        int to = frames.length;
        while (to > from && isInfrastructure(frames[to - 1].getClassName())) {
            to--;
        }
        return List.copyOf(Arrays.asList(frames).subList(from, to));
    }

    /**
     * Tells whether a frame belongs to the JDK or to this library.
     *
     * @param className the frame's class
     * @return {@code true} for JDK and library frames
     */
    public static boolean isInfrastructure(String className) {
        return className.startsWith("java.")
                || className.startsWith("jdk.")
                || className.startsWith("sun.")
                || className.startsWith("dev.loopharness.internal.")
                || className.startsWith("dev.loopharness.junit.internal.")
                || API_CLASSES.contains(outerClass(className));
    }

    /**
     * A frame as people read it, without the class loader and module prefixes: {@code
     * com.example.Cafe.brew(Cafe.java:12)}.
     *
     * @param frame the frame, may be {@code null}
     * @return the text, or {@code "unknown"} for {@code null}
     */
    public static String format(StackTraceElement frame) {
        if (frame == null) {
            return "unknown";
        }
        String location = frame.isNativeMethod()
                ? "Native Method"
                : frame.getFileName() == null
                        ? "Unknown Source"
                        : frame.getLineNumber() >= 0
                                ? frame.getFileName() + ":" + frame.getLineNumber()
                                : frame.getFileName();
        return frame.getClassName() + "." + frame.getMethodName() + "(" + location + ")";
    }

    private static String outerClass(String className) {
        int nested = className.indexOf('$');
        return nested < 0 ? className : className.substring(0, nested);
    }
}
