package dev.loopharness.junit.internal;

import dev.loopharness.junit.ClockMode;
import dev.loopharness.junit.ExploreSchedules;
import dev.loopharness.junit.LoopScope;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * The invocations of an {@link ExploreSchedules} test method, as {@code @RepeatedTest} provides its repetitions,
 * or of an explored test class, as {@code @ParameterizedClass} provides its invocations: one per run, decided
 * lazily, so that a failure can stop the runs and start the shrinking.
 */
public final class ScheduleExplorer
        implements TestTemplateInvocationContextProvider, ClassTemplateInvocationContextProvider {

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
        return explore(annotation, context).map(TestTemplateInvocationContext.class::cast);
    }

    @Override
    public boolean supportsClassTemplate(ExtensionContext context) {
        return context.getTestClass()
                .map(testClass -> AnnotationSupport.isAnnotated(testClass, ExploreSchedules.class))
                .orElse(false);
    }

    @Override
    public Stream<ClassTemplateInvocationContext> provideClassTemplateInvocationContexts(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        ExploreSchedules annotation = AnnotationSupport.findAnnotation(testClass, ExploreSchedules.class)
                .orElseThrow();
        List<Method> alsoOnMethods = AnnotationSupport.findAnnotatedMethods(
                testClass, ExploreSchedules.class, HierarchyTraversalMode.TOP_DOWN);
        if (!alsoOnMethods.isEmpty()) {
            throw new ExtensionConfigurationException(ExploreMessages.onClassAndMethod(
                    testClass.getSimpleName(), testName(testClass, alsoOnMethods.get(0))));
        }
        return explore(annotation, context).map(ClassInvocation::new);
    }

    /** The runs of a test method or class whose loop settings allow them. */
    private static Stream<ExploredRun> explore(ExploreSchedules annotation, ExtensionContext context) {
        requireFreshVirtualLoop(context);
        Exploration exploration = new Exploration(ExplorationPlan.read(annotation, context), context);
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(exploration, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /**
     * Refuses an explored method or class, or a test of an explored class, whose loop is not a fresh one per test
     * in virtual time.
     */
    static void requireFreshVirtualLoop(ExtensionContext context) {
        Settings settings = Settings.of(context);
        Class<?> testClass = context.getRequiredTestClass();
        String test = context.getTestMethod()
                .map(method -> testName(testClass, method))
                .orElse(testClass.getSimpleName());
        if (settings.clock() != ClockMode.VIRTUAL) {
            throw new ExtensionConfigurationException(
                    ExploreMessages.needs(test, "clock", settings.clock().name(), "VIRTUAL"));
        }
        if (settings.scope() != LoopScope.TEST) {
            throw new ExtensionConfigurationException(
                    ExploreMessages.needs(test, "scope", settings.scope().name(), "TEST"));
        }
    }

    private static String testName(Class<?> testClass, Method method) {
        return testClass.getSimpleName() + "." + method.getName() + "()";
    }

    /** One run of an explored class: the whole class, named as the method form names a run. */
    private static final class ClassInvocation implements ClassTemplateInvocationContext {

        private final ExploredRun run;

        ClassInvocation(ExploredRun run) {
            this.run = run;
        }

        @Override
        public String getDisplayName(int invocationIndex) {
            return run.getDisplayName(invocationIndex);
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return run.getAdditionalExtensions();
        }
    }
}
