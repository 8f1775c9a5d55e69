package dev.loopharness.junit.internal;

import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What happens when a foreign stage that a VIRTUAL test awaited without declaring it ({@code Async.await} of a
 * {@code CompletableFuture} rather than of {@code loop.wrapFuture(...)}) is completed by another thread after
 * virtual time jumped while it was pending: the test fails, or a warning lands in its report. The configuration
 * parameter {@value #KEY} decides, for every loop the harness makes.
 */
enum UndeclaredWork {
    /** The test that awaited the stage fails with the report (the default). */
    FAIL,
    /** The report is a warning: logged and published as the test's report entry. */
    WARN;

    static final String KEY = "loopharness.undeclaredWork";

    /**
     * Reads the parameter; a value it does not know fails the tests that use a loop.
     *
     * @throws ExtensionConfigurationException naming the parameter, the value and the values allowed
     */
    static UndeclaredWork of(ExtensionContext context) {
        Optional<String> text = context.getConfigurationParameter(KEY);
        if (text.isEmpty()) {
            return FAIL;
        }
        try {
            return valueOf(text.get().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new ExtensionConfigurationException(Messages.badConfiguration(KEY, text.get(), "FAIL, WARN"));
        }
    }
}
