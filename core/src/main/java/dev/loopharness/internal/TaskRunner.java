package dev.loopharness.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;

/**
 * The carrier strategy: which threads tasks run on. Virtual threads where the JDK has them (found at run time,
 * since the library compiles for Java 17), one per task; otherwise platform daemon threads from the JVM's {@link
 * CarrierPool}, which a task gives back when it ends. The system property {@code
 * loopharness.virtualThreads=false} forces platform threads.
 */
final class TaskRunner {

    private static final TaskRunner INSTANCE = create();
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

    private final ThreadFactory virtualThreads;

    /** The carriers of tasks where there are no virtual threads; shared by every loop of the JVM. */
    private static final CarrierPool CARRIERS = new CarrierPool();

    private TaskRunner(ThreadFactory virtualThreads) {
        this.virtualThreads = virtualThreads;
    }

    static TaskRunner forThisJvm() {
        return INSTANCE;
    }

    private static TaskRunner create() {
        if ("false".equalsIgnoreCase(System.getProperty("loopharness.virtualThreads"))) {
            return new TaskRunner(null);
        }
        return new TaskRunner(virtualThreadFactory());
    }

    private static ThreadFactory virtualThreadFactory() {
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
        } catch (Throwable unexpected) {
            Throwables.rethrowIfFatal(unexpected);
            return null;
        }
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup()
                    .findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException notOnThisJdk) {
            return null;
        }
    }

    /** Tells whether a thread is virtual; always false before Java 21. */
    static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable unexpected) {
            Throwables.rethrowIfFatal(unexpected);
            throw new IllegalStateException("Thread.isVirtual() failed", unexpected);
        }
    }

    /** Tells whether tasks run on virtual threads. */
    boolean virtual() {
        return virtualThreads != null;
    }

    /**
     * A thread for a task's body, not yet running it: it does once started if it is {@link Thread.State#NEW},
     * else once unparked (a pooled carrier). The body must call {@link CarrierPool#release()} once done.
     */
    Thread carrier(Runnable body, String name) {
        CARRIERS_HANDED_OUT.increment();
        return virtualThreads != null ? newThread(body, name) : CARRIERS.carrier(body, name);
    }

    /** How many carriers {@link #carrier} handed out in this JVM, new or pooled: a hand-off's witness, for tests. */
    static long carriersHandedOut() {
        return CARRIERS_HANDED_OUT.sum();
    }

    private static final java.util.concurrent.atomic.LongAdder CARRIERS_HANDED_OUT =
            new java.util.concurrent.atomic.LongAdder();

    /** A new thread: virtual where the JDK has them, else a platform daemon thread. */
    Thread newThread(Runnable body, String name) {
        Thread thread;
        if (virtualThreads != null) {
            thread = virtualThreads.newThread(body);
            thread.setName(name);
        } else {
            thread = new Thread(body, name);
            thread.setDaemon(true);
        }
        return thread;
    }
}
