package dev.loopharness.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;

/**
 * Virtual threads for the baselines, found at run time: the module compiles with {@code --release 17}, where
 * {@code Thread.ofVirtual()} does not exist. On JDK 17 {@link #factory()} is {@code null} and the baselines that
 * need it refuse to run with a message (the run script excludes them there).
 */
final class VirtualThreads {

    private static final ThreadFactory FACTORY = find();

    private VirtualThreads() {}

    /** A factory of unstarted virtual threads, or {@code null} before Java 21. */
    static ThreadFactory factory() {
        return FACTORY;
    }

    /** The factory, or an exception that says why there is none. */
    static ThreadFactory require() {
        if (FACTORY == null) {
            throw new UnsupportedOperationException("virtual threads need JDK 21 or newer; this is "
                    + System.getProperty("java.version") + ". Exclude this benchmark with -e virtual");
        }
        return FACTORY;
    }

    private static ThreadFactory find() {
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            MethodHandle ofVirtual = lookup.findStatic(
                    Thread.class,
                    "ofVirtual",
                    MethodType.methodType(Class.forName("java.lang.Thread$Builder$OfVirtual")));
            MethodHandle factory = lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class));
            return (ThreadFactory) factory.invoke(ofVirtual.invoke());
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException notOnThisJdk) {
            return null;
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable unexpected) {
            throw new IllegalStateException("cannot create a virtual thread factory", unexpected);
        }
    }
}
