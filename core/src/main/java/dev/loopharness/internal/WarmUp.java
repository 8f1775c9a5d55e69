package dev.loopharness.internal;

/**
 * Tells a slow task step that paid the JVM's one-time costs from one that blocked the loop: a step sampled while
 * it loaded or initialised classes, linked a lambda or a call site, or while Mockito's agent attached, was slow
 * once and will not be again, and a warning about it would only be noise in a clean suite.
 */
final class WarmUp {

    private WarmUp() {}

    /**
     * Whether a slow step's stack sample shows one-time work.
     *
     * @param sample the stack of the task's thread, innermost first, taken while the step was over the threshold
     * @return {@code true} for class loading, static initialisers, lambda and call-site linkage and agent
     *     attachment
     */
    static boolean explains(StackTraceElement[] sample) {
        for (StackTraceElement frame : sample) {
            String type = frame.getClassName();
            if (type.equals("java.lang.ClassLoader")
                    || type.startsWith("jdk.internal.loader.")
                    || type.startsWith("java.lang.invoke.")
                    || type.startsWith("jdk.internal.org.objectweb.asm.")
                    || type.startsWith("net.bytebuddy.agent.")
                    || frame.getMethodName().equals("<clinit>")) {
                return true;
            }
        }
        return false;
    }
}
