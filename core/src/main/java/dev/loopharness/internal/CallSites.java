package dev.loopharness.internal;

import java.net.URL;
import java.security.CodeSource;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Finds the frame of a user's call: the first frame that belongs neither to this library nor to the JDK or the
 * test engine. A class belongs to
 * the library when it comes from the same jar or classes folder as one of the library's anchor classes, so
 * that tests and samples in the library's packages still count as user code.
 */
public final class CallSites {

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final Set<String> LIBRARY_LOCATIONS = ConcurrentHashMap.newKeySet();
    private static final ClassValue<Boolean> IS_LIBRARY = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return type.getName().startsWith("dev.loopharness.") && LIBRARY_LOCATIONS.contains(location(type));
        }
    };

    /** Whether a frame of a class is skipped when looking for the caller: decided once per class. */
    private static final ClassValue<Boolean> IS_SKIPPED = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return isLibrary(type) || isPlatform(type.getName());
        }
    };

    static {
        registerLibrary(CallSites.class);
    }

    private CallSites() {}

    /**
     * Declares the jar or folder of a class as part of the library, so that its frames are skipped. Modules of
     * the library call this once for a class of theirs, before any call site is taken.
     *
     * @param anchor a class of the library
     */
    public static void registerLibrary(Class<?> anchor) {
        LIBRARY_LOCATIONS.add(location(anchor));
    }

    /**
     * The frame that called into this library, looking no deeper than the frame where a loop runs.
     *
     * @return the frame, or empty if every frame up to there belongs to the library
     */
    public static Optional<StackTraceElement> caller() {
        return Optional.ofNullable(WALKER.walk(CallSites::firstUserFrame));
    }

    /**
     * Stops at the first frame that is not skipped, so only the frames above the caller are walked. Stops at the
     * frame where a loop runs its iterations too: below it is whoever started the run, which did not schedule the
     * loop's own internal callbacks (a task's done callbacks, say), and the walk down a test engine's stack would
     * cost more than the callback.
     */
    private static StackTraceElement firstUserFrame(Stream<StackWalker.StackFrame> frames) {
        for (Iterator<StackWalker.StackFrame> it = frames.iterator(); it.hasNext(); ) {
            StackWalker.StackFrame frame = it.next();
            Class<?> type = frame.getDeclaringClass();
            if (!IS_SKIPPED.get(type)) {
                return frame.toStackTraceElement();
            }
            if (type == LoopRun.class && frame.getMethodName().equals(LoopRun.RUN_FRAME)) {
                return null;
            }
        }
        return null;
    }

    /**
     * Tells whether a class belongs to the library.
     *
     * @param type the class
     * @return {@code true} for the library's own classes
     */
    public static boolean isLibrary(Class<?> type) {
        return IS_LIBRARY.get(type);
    }

    /** The JDK's and the test engine's frames say nothing about the user's code, so they are skipped too. */
    private static boolean isPlatform(String className) {
        return className.startsWith("java.")
                || className.startsWith("jdk.")
                || className.startsWith("sun.")
                || className.startsWith("org.junit.");
    }

    private static String location(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        URL url = source == null ? null : source.getLocation();
        return url == null ? "<unknown>" : url.toString();
    }
}
