package dev.loopharness.junit.internal;

import dev.loopharness.junit.BodyMode;
import dev.loopharness.junit.ClockMode;
import dev.loopharness.junit.LeakPolicy;
import dev.loopharness.junit.LoopScope;
import dev.loopharness.junit.WithEventLoop;
import java.lang.reflect.AnnotatedElement;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.junit.platform.commons.support.AnnotationSupport;

/** A test's loop settings: its {@code @WithEventLoop}, with defaults from the configuration parameters. */
record Settings(LoopScope scope, ClockMode clock, LeakPolicy leaks, Duration timeout, boolean debug, BodyMode body) {

    static final String SCOPE = "loopharness.scope";
    static final String CLOCK = "loopharness.clock";
    static final String LEAKS = "loopharness.leaks";
    static final String TIMEOUT = "loopharness.timeout";
    static final String DEBUG = "loopharness.debug";
    static final String BODY = "loopharness.body";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /**
     * The settings of the nearest {@code @WithEventLoop}: on the method, its class, or an enclosing class. Worked
     * out once per element under a parent (a test method of a class, say, not once per repetition or call) and
     * kept in the parent's store: the answer depends only on the element and the contexts above it.
     */
    static Settings of(ExtensionContext context) {
        Store store = context.getParent().map(Stores::of).orElseGet(() -> Stores.root(context));
        return Stores.computeIfAbsent(store, new SettingsOf(context.getElement()), () -> read(context));
    }

    /** The key of an element's settings in its parent's store. */
    private record SettingsOf(Optional<AnnotatedElement> element) {}

    private static Settings read(ExtensionContext context) {
        Configuration configuration =
                Stores.computeIfAbsent(Stores.root(context), Configuration.class, () -> Configuration.read(context));
        WithEventLoop annotation = nearestAnnotation(context).orElse(null);
        LoopScope scope = annotation == null ? LoopScope.DEFAULT : annotation.scope();
        ClockMode clock = annotation == null ? ClockMode.DEFAULT : annotation.clock();
        LeakPolicy leaks = annotation == null ? LeakPolicy.DEFAULT : annotation.leaks();
        String timeout = annotation == null ? "" : annotation.timeout();
        BodyMode body = annotation == null ? BodyMode.DEFAULT : annotation.body();
        return new Settings(
                scope != LoopScope.DEFAULT
                        ? scope
                        : configured(SCOPE, configuration.scope(), LoopScope.class, LoopScope.TEST),
                clock != ClockMode.DEFAULT
                        ? clock
                        : configured(CLOCK, configuration.clock(), ClockMode.class, ClockMode.REAL),
                leaks != LeakPolicy.DEFAULT
                        ? leaks
                        : configured(LEAKS, configuration.leaks(), LeakPolicy.class, LeakPolicy.FAIL),
                timeout.isEmpty()
                        ? configuration
                                .timeout
                                .map(value -> parseTimeout(TIMEOUT, value))
                                .orElse(DEFAULT_TIMEOUT)
                        : parseTimeout("@WithEventLoop(timeout)", timeout),
                configuration.debug().map(value -> parseBoolean(DEBUG, value)).orElse(true),
                body != BodyMode.DEFAULT
                        ? body
                        : configured(BODY, configuration.body(), BodyMode.class, BodyMode.COROUTINE));
    }

    /**
     * The run's configuration parameters, read once into the root store. Kept as text and parsed where used, so
     * that a bad value fails only the tests that take it, as it would if read every time.
     */
    private record Configuration(
            Optional<String> scope,
            Optional<String> clock,
            Optional<String> leaks,
            Optional<String> timeout,
            Optional<String> debug,
            Optional<String> body) {

        static Configuration read(ExtensionContext context) {
            return new Configuration(
                    context.getConfigurationParameter(SCOPE),
                    context.getConfigurationParameter(CLOCK),
                    context.getConfigurationParameter(LEAKS),
                    context.getConfigurationParameter(TIMEOUT),
                    context.getConfigurationParameter(DEBUG),
                    context.getConfigurationParameter(BODY));
        }
    }

    private static Optional<WithEventLoop> nearestAnnotation(ExtensionContext context) {
        for (ExtensionContext current = context;
                current != null;
                current = current.getParent().orElse(null)) {
            Optional<AnnotatedElement> element = current.getElement();
            if (element.isPresent()) {
                Optional<WithEventLoop> found = AnnotationSupport.findAnnotation(element.get(), WithEventLoop.class);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    private static <E extends Enum<E>> E configured(String key, Optional<String> text, Class<E> type, E fallback) {
        Function<String, E> parse = value -> parseEnum(key, value, type);
        E value = text.map(parse).orElse(fallback);
        if (value.name().equals("DEFAULT")) {
            throw new ExtensionConfigurationException(Messages.badConfiguration(key, value.name(), allowed(type)));
        }
        return value;
    }

    private static <E extends Enum<E>> E parseEnum(String key, String value, Class<E> type) {
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new ExtensionConfigurationException(Messages.badConfiguration(key, value, allowed(type)));
        }
    }

    private static <E extends Enum<E>> String allowed(Class<E> type) {
        StringBuilder names = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            if (!constant.name().equals("DEFAULT")) {
                names.append(names.length() == 0 ? "" : ", ").append(constant.name());
            }
        }
        return names.toString();
    }

    private static boolean parseBoolean(String key, String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        if (!text.equals("true") && !text.equals("false")) {
            throw new ExtensionConfigurationException(Messages.badConfiguration(key, value, "true, false"));
        }
        return Boolean.parseBoolean(text);
    }

    /** Parses {@code "500ms"}, {@code "30s"}, {@code "2m"}, {@code "1h"} or ISO-8601 {@code "PT30S"}. */
    static Duration parseTimeout(String source, String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (text.startsWith("pt") || text.startsWith("p")) {
                return positive(source, value, Duration.parse(text.toUpperCase(Locale.ROOT)));
            }
            if (text.endsWith("ms")) {
                return positive(source, value, Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2))));
            }
            long amount = Long.parseLong(text.substring(0, text.length() - 1).trim());
            switch (text.charAt(text.length() - 1)) {
                case 's':
                    return positive(source, value, Duration.ofSeconds(amount));
                case 'm':
                    return positive(source, value, Duration.ofMinutes(amount));
                case 'h':
                    return positive(source, value, Duration.ofHours(amount));
                default:
                    throw new NumberFormatException(value);
            }
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException bad) {
            throw new ExtensionConfigurationException(
                    Messages.badConfiguration(source, value, Messages.TIMEOUT_FORMS), bad);
        }
    }

    private static Duration positive(String source, String value, Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            throw new ExtensionConfigurationException(
                    Messages.badConfiguration(source, value, "a positive duration: " + Messages.TIMEOUT_FORMS));
        }
        return duration;
    }
}
