package dev.loopharness.junit.internal;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;

/** The extension's state in JUnit's stores: one namespace of its own, values created on first use. */
final class Stores {

    private static final Namespace NAMESPACE = Namespace.create(LoopExtension.class);

    private Stores() {}

    /** The extension's store at a context's level. */
    static Store of(ExtensionContext context) {
        return context.getStore(NAMESPACE);
    }

    /** The extension's store for the whole run. */
    static Store root(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE);
    }

    /**
     * The store's value for a key, created on first use. Built against JUnit 5.14, whose only method for this
     * JUnit 6 deprecates in favour of one 5.14 lacks; the suppression keeps both builds free of warnings.
     */
    @SuppressWarnings("deprecation")
    static <V> V computeIfAbsent(Store store, Object key, Supplier<V> create) {
        @SuppressWarnings("unchecked")
        V value = (V) store.getOrComputeIfAbsent(key, ignored -> create.get());
        return value;
    }
}
