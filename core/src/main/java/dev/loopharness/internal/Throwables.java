package dev.loopharness.internal;

/** What the loop does with throwables it catches. */
public final class Throwables {

    private Throwables() {}

    /**
     * Rethrows errors that no callback, task or handler may swallow: {@link VirtualMachineError} (out of
     * memory, say) and {@link LinkageError}.
     *
     * @param t the throwable just caught
     */
    public static void rethrowIfFatal(Throwable t) {
        if (t instanceof VirtualMachineError || t instanceof LinkageError) {
            throw (Error) t;
        }
    }

    /**
     * Throws any throwable, checked or not, without declaring it: how a coroutine's own exception reaches its
     * awaiter as the same instance.
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
