package dev.loopharness.junit;

import dev.loopharness.junit.internal.LoopExtension;
import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * The JUnit Jupiter extension behind {@link WithEventLoop}; register it through the annotation. It runs test
 * and lifecycle methods as coroutines on the test's loop, checks after each test what it left behind, and
 * resolves loop parameters. Safe under JUnit's parallel execution: tests on a shared loop take turns on it.
 *
 * @since 0.1.0
 */
public final class EventLoopExtension
        implements InvocationInterceptor, AfterEachCallback, AfterAllCallback, ParameterResolver {

    /** Creates the extension; JUnit does, for {@link WithEventLoop}. */
    public EventLoopExtension() {}

    @Override
    public void interceptBeforeAllMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> method, ExtensionContext context)
            throws Throwable {
        LoopExtension.intercept(invocation, method, context);
    }

    @Override
    public void interceptBeforeEachMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> method, ExtensionContext context)
            throws Throwable {
        LoopExtension.intercept(invocation, method, context);
    }

    @Override
    public void interceptTestMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> method, ExtensionContext context)
            throws Throwable {
        LoopExtension.intercept(invocation, method, context);
    }

    @Override
    public void interceptTestTemplateMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> method, ExtensionContext context)
            throws Throwable {
        LoopExtension.intercept(invocation, method, context);
    }

    @Override
    public void interceptAfterEachMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> method, ExtensionContext context)
            throws Throwable {
        LoopExtension.intercept(invocation, method, context);
    }

    @Override
    public void interceptAfterAllMethod(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> method, ExtensionContext context)
            throws Throwable {
        LoopExtension.intercept(invocation, method, context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        LoopExtension.afterEach(context);
    }

    /**
     * Reports what a CLASS loop's scope left on it, as the class ends.
     *
     * @param context the class's context
     * @since 0.1.0
     */
    @Override
    public void afterAll(ExtensionContext context) {
        LoopExtension.afterAll(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return LoopExtension.supports(parameter);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return LoopExtension.resolve(parameter, context);
    }
}
