package dev.loopharness.junit.internal;

import dev.loopharness.junit.ClockMode;
import dev.loopharness.junit.ExploreSchedules;
import dev.loopharness.junit.LoopScope;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The invocations of an {@link ExploreSchedules} test, as {@code @RepeatedTest} provides its repetitions: one per
 * run, decided lazily, so that a failure can stop the runs and start the shrinking.
 */
public final class ScheduleExplorer implements TestTemplateInvocationContextProvider {

    /** Creates the provider; JUnit does, for {@link ExploreSchedules}. */
    public ScheduleExplorer() {}

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod()
                .map(method -> AnnotationSupport.isAnnotated(method, ExploreSchedules.class))
                .orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        ExploreSchedules annotation = AnnotationSupport.findAnnotation(
                        context.getRequiredTestMethod(), ExploreSchedules.class)
                .orElseThrow();
        Settings settings = Settings.of(context);
        String test = context.getRequiredTestClass().getSimpleName() + "."
                + context.getRequiredTestMethod().getName() + "()";
        if (settings.clock() != ClockMode.VIRTUAL) {
            throw new ExtensionConfigurationException(
                    ExploreMessages.needs(test, "clock", settings.clock().name(), "VIRTUAL"));
        }
        if (settings.scope() != LoopScope.TEST) {
            throw new ExtensionConfigurationException(
                    ExploreMessages.needs(test, "scope", settings.scope().name(), "TEST"));
        }
        Exploration exploration = new Exploration(ExplorationPlan.read(annotation, context), context);
        return StreamSupport.stream(
                        Spliterators.spliteratorUnknownSize(exploration, Spliterator.ORDERED | Spliterator.NONNULL),
                        false)
                .map(TestTemplateInvocationContext.class::cast);
    }
}
