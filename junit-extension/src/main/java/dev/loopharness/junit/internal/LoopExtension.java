package dev.loopharness.junit.internal;

import dev.loopharness.Coroutine;
import dev.loopharness.EventLoop;
import dev.loopharness.VirtualClock;
import dev.loopharness.junit.BodyMode;
import dev.loopharness.junit.ClockMode;
import dev.loopharness.junit.LeakPolicy;
import dev.loopharness.junit.LeakedWorkError;
import dev.loopharness.junit.LoopScope;
import dev.loopharness.spi.Diagnostics;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.junit.jupiter.api.extension.InvocationInterceptor.Invocation;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * The behaviour behind {@code EventLoopExtension}: which loop a test gets, running its methods on it, checking
 * what it left behind, resolving parameters. State lives only in JUnit's stores, under this extension's
 * namespace: the store level (method, class, root) decides a loop's lifetime.
 */
public final class LoopExtension {

    private static final System.Logger LOGGER = System.getLogger("dev.loopharness.junit");

    /** The key of the JUnit report entries that carry the loop's warnings raised during a test. */
    static final String WARNING_ENTRY = "loopharness.warning";

    static {
        Diagnostics.registerLibrary(LoopExtension.class);
    }

    private LoopExtension() {}

    /**
     * Runs a test or lifecycle method as a coroutine on the test's loop, or on the test thread with {@code body =
     * TEST_THREAD}; methods of a scope without a loop ({@code @BeforeAll} of a TEST-scoped class) run as they are.
     *
     * @param invocation the method's invocation
     * @param method the method
     * @param context the extension context
     * @throws Throwable whatever the method throws
     */
    public static void intercept(
            Invocation<Void> invocation, ReflectiveInvocationContext<Method> method, ExtensionContext context)
            throws Throwable {
        Settings settings = Settings.of(context);
        boolean classLevel = context.getTestMethod().isEmpty();
        if (classLevel && settings.scope() == LoopScope.TEST) {
            invocation.proceed();
            return;
        }
        HarnessLoop harness = loop(context, settings);
        String name = testName(context, method.getExecutable());
        Coroutine<Object> body = () -> {
            try {
                invocation.proceed();
            } catch (Throwable failure) {
                throw Throwables.sneakyThrow(failure);
            }
            return null;
        };
        if (settings.body() == BodyMode.TEST_THREAD) {
            harness.runOnTestThread(body, tag(context), name, settings.timeout());
        } else {
            boolean onCaller = settings.body() != BodyMode.COROUTINE_SEPARATE_THREAD;
            harness.run(body, tag(context), name, settings.timeout(), watchdog(context), onCaller);
        }
    }

    /**
     * After a test: reports what it left behind per the leak policy, then closes a TEST loop. A report never
     * hides the test's own failure: it is attached to it as suppressed.
     *
     * @param context the test's context
     */
    public static void afterEach(ExtensionContext context) {
        Settings settings = Settings.of(context);
        Optional<HarnessLoop> existing = existingLoop(context, settings);
        if (existing.isEmpty()) {
            return;
        }
        HarnessLoop harness = existing.get();
        String testName = testName(context, context.getRequiredTestMethod());
        // a TEST loop's scope is the test: work no test owns on it is the test's too
        HarnessLoop.LeakCheck check = settings.scope() == LoopScope.TEST
                ? harness.checkScope(tag(context), testName)
                : harness.check(tag(context), testName);
        for (String warning : check.warnings()) {
            context.publishReportEntry(WARNING_ENTRY, warning);
        }
        AssertionError failure = check.callbackError();
        if (check.leaked()) {
            failure = handleLeaks(
                    settings.leaks(),
                    harness,
                    check,
                    Messages.leaked(testName, check.tasks(), check.timers(), check.callbacks(), check.now()),
                    failure);
        }
        if (settings.scope() == LoopScope.TEST) {
            Stores.of(context).remove(loopKey(settings));
            harness.close();
        }
        if (failure != null) {
            Optional<Throwable> own = context.getExecutionException();
            if (own.isPresent()) {
                own.get().addSuppressed(failure);
            } else {
                throw failure;
            }
        }
    }

    /**
     * As a class ends: on a CLASS loop, reports per the leak policy the work no test owns, that of the
     * class-level methods and that posted from other threads while no test ran; on the run's SHARED loop, the
     * work of the class-level methods (what no one owns there is the run's, checked as the run ends), so that the
     * next class never sees it.
     *
     * @param context the class's context
     */
    public static void afterAll(ExtensionContext context) {
        Settings settings = Settings.of(context);
        boolean shared = settings.scope() == LoopScope.SHARED;
        if (settings.scope() != LoopScope.CLASS && !shared) {
            return;
        }
        Optional<HarnessLoop> existing = existingLoop(context, settings);
        if (existing.isEmpty()) {
            return;
        }
        String name = context.getRequiredTestClass().getSimpleName();
        HarnessLoop.LeakCheck check = shared
                ? existing.get().check(tag(context), name)
                : existing.get().checkScope(tag(context), name);
        for (String warning : check.warnings()) {
            context.publishReportEntry(WARNING_ENTRY, warning);
        }
        AssertionError failure = check.callbackError();
        if (check.leaked()) {
            String message = shared
                    ? Messages.sharedClassLeaked(name, check.tasks(), check.timers(), check.callbacks(), check.now())
                    : Messages.scopeLeaked(name, check.tasks(), check.timers(), check.callbacks(), check.now());
            failure = handleLeaks(settings.leaks(), existing.get(), check, message, failure);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Applies a leak policy to what was left: WARN logs it, CANCEL cancels it, FAIL cancels it and returns the
     * error, an earlier failure attached.
     */
    static AssertionError handleLeaks(
            LeakPolicy policy,
            HarnessLoop harness,
            HarnessLoop.LeakCheck check,
            String message,
            AssertionError failure) {
        if (policy == LeakPolicy.WARN) {
            LOGGER.log(Level.WARNING, message);
            return failure;
        }
        harness.cancel(check);
        if (policy == LeakPolicy.CANCEL) {
            return failure;
        }
        LeakedWorkError leaked = new LeakedWorkError(message);
        if (failure != null) {
            leaked.addSuppressed(failure);
        }
        return leaked;
    }

    /**
     * Tells whether a parameter is one the extension resolves: the loop and its views, and the virtual clock
     * (claimed on the real clock too, to say how to get one). Other types, this library's included, are left
     * to other resolvers.
     *
     * @param parameter the parameter
     * @return whether to resolve it
     */
    public static boolean supports(ParameterContext parameter) {
        Class<?> type = parameter.getParameter().getType();
        return type == EventLoop.class
                || type == Executor.class
                || type == Clock.class
                || type == ScheduledExecutorService.class
                || type == VirtualClock.class;
    }

    /**
     * Resolves a parameter to the test's loop or one of its views.
     *
     * @param parameter the parameter
     * @param context the extension context
     * @return the value
     */
    public static Object resolve(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        Settings settings = Settings.of(context);
        if (context.getTestMethod().isEmpty() && settings.scope() == LoopScope.TEST) {
            throw new ParameterResolutionException(Messages.parameterNotAvailable(
                    type.getName(),
                    "with scope = TEST each test has its own loop, so there is none for the class;"
                            + " take it as a parameter of the test method instead"));
        }
        HarnessLoop harness = loop(context, settings);
        if (type == EventLoop.class || type == Executor.class) {
            return harness.loop();
        }
        if (type == Clock.class) {
            return harness.loop().asClock();
        }
        if (type == ScheduledExecutorService.class) {
            return harness.loop().asScheduledExecutorService();
        }
        // the type left is VirtualClock
        if (settings.clock() != ClockMode.VIRTUAL) {
            throw new ParameterResolutionException(Messages.parameterNotAvailable(
                    type.getName(), "the loop runs on the real clock;" + " use @WithEventLoop(clock = VIRTUAL)"));
        }
        return harness.virtualClock();
    }

    // ---- loops by scope ------------------------------------------------------------------------------------

    private static HarnessLoop loop(ExtensionContext context, Settings settings) {
        ExtensionContext owner = scopeContext(context, settings.scope());
        return Stores.computeIfAbsent(Stores.of(owner), loopKey(settings), () -> newLoop(settings, owner));
    }

    private static Optional<HarnessLoop> existingLoop(ExtensionContext context, Settings settings) {
        Store store = Stores.of(scopeContext(context, settings.scope()));
        return Optional.ofNullable(store.get(loopKey(settings), HarnessLoop.class));
    }

    /** One loop per scope's context; the run's shared loops, one per clock mode. */
    private static String loopKey(Settings settings) {
        return settings.scope() == LoopScope.SHARED ? "loop-shared-" + settings.clock() : "loop";
    }

    private static HarnessLoop newLoop(Settings settings, ExtensionContext owner) {
        String ownerName = settings.scope() == LoopScope.SHARED ? "the test run" : owner.getDisplayName();
        HarnessLoop harness = new HarnessLoop(
                settings.clock(),
                settings.debug(),
                Messages.owner(settings.scope().name(), ownerName));
        harness.undeclaredWorkFails(UndeclaredWork.of(owner) == UndeclaredWork.FAIL);
        if (settings.scope() == LoopScope.SHARED) {
            harness.checkAtRunEnd(new RunEndCheck(
                    Settings.of(owner).leaks(),
                    owner.getUniqueId(),
                    Messages.sharedLoop(settings.clock().name())));
        }
        ExploredRun.install(owner, harness);
        return harness;
    }

    /** The context whose store holds the loop of a scope: the method's, its class's, or the root. */
    private static ExtensionContext scopeContext(ExtensionContext context, LoopScope scope) {
        switch (scope) {
            case SHARED:
                return context.getRoot();
            case CLASS:
                ExtensionContext current = context;
                while (current.getTestMethod().isPresent()
                        && current.getParent().isPresent()) {
                    current = current.getParent().get();
                }
                return current;
            default:
                return context;
        }
    }

    private static Watchdog watchdog(ExtensionContext context) {
        return Stores.computeIfAbsent(Stores.root(context), "watchdog", Watchdog::new);
    }

    private static Object tag(ExtensionContext context) {
        return context.getUniqueId();
    }

    private static String testName(ExtensionContext context, java.lang.reflect.Executable method) {
        String className = context.getTestClass().map(Class::getSimpleName).orElse("?");
        return className + "." + method.getName() + "()";
    }
}
