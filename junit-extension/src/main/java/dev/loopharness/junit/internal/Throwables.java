package dev.loopharness.junit.internal;

/**
 * What the extension and its bridges do with throwables they catch. Not an API: public only for the bridge
 * packages of this module, which does not export this package.
 */
public final class Throwables {

    private Throwables() {}

    /**
     * Rethrows the errors nothing may swallow: {@link VirtualMachineError} (out of memory, say) and {@link
     * LinkageError}.
     *
     * @param t the throwable just caught
     */
    public static void rethrowIfFatal(Throwable t) {
        if (t instanceof VirtualMachineError || t instanceof LinkageError) {
            throw (Error) t;
        }
    }

    /**
     * Throws any throwable, checked or not, without declaring it, so that a test's own exception reaches JUnit as
     * the same instance.
     *
     * @param t the throwable
     * @return never returns; declared so that callers can write {@code throw sneakyThrow(t)}
     */
    public static RuntimeException sneakyThrow(Throwable t) {
        throw Throwables.<RuntimeException>sneaky(t);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
