package dev.loopharness.internal;

import java.net.URL;
import java.security.CodeSource;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
     * The frame that called into this library.
     *
     * @return the frame, or empty if every frame belongs to the library
     */
    public static Optional<StackTraceElement> caller() {
        return WALKER.walk(frames -> frames.filter(
                        frame -> !isLibrary(frame.getDeclaringClass()) && !isPlatform(frame.getClassName()))
                .findFirst()
                .map(StackWalker.StackFrame::toStackTraceElement));
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
