package dev.loopharness.benchmarks;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.loopharness.EventLoops;
import dev.loopharness.junit.WithEventLoop;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import kotlin.Unit;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;
import kotlin.jvm.functions.Function2;
import kotlinx.coroutines.test.TestBuildersKt;
import kotlinx.coroutines.test.TestScope;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Target 6: the cost of {@code @WithEventLoop} per test. One invocation runs a fixture class of {@value #TESTS}
 * trivial tests ({@code @RepeatedTest}) through the JUnit Platform launcher: discovery and execution by the
 * Jupiter engine, as a build tool would run it. {@link #withEventLoop} runs {@link OnTheLoop}, whose tests run as
 * coroutines on a fresh loop each (the default settings: scope TEST, real clock, leaks FAIL, debug on); {@link
 * #plain} runs {@link Plain}, the same tests without the extension, and is the baseline. The difference between
 * the two, per test, is the extension's cost.
 *
 * <p>{@link #withEventLoopNoDebug} is {@link #withEventLoop} with {@code loopharness.debug=false}, for
 * information: how much of the cost is the loops' debug mode. {@link #withEventLoopSeparateThread} is {@link
 * #withEventLoop} with {@code loopharness.body=coroutine_separate_thread}: each body starts on a thread of the
 * loop's own instead of JUnit's, the price of a timeout that abandons a body blocked in a call that ignores
 * interrupts.
 *
 * <p>{@link #runTest} runs {@link InRunTest}, the same tests with each body inside kotlinx-coroutines-test's
 * {@code runTest} (default context and timeout) and a body that does not suspend: issue #16's bar for the
 * extension's cost per test is {@code runTest}'s, measured the same way in the same run. The Kotlin call {@code
 * runTest { ... }} compiles to the static {@code TestBuildersKt.runTest-8Mi8wO0$default}, whose name Java cannot
 * spell, so it is called through a method handle looked up once; the body is a {@code Function2} that returns
 * {@code Unit} without suspending, which is what a suspend lambda that never suspends returns.
 *
 * <p>Every invocation checks that all {@value #TESTS} tests ran and succeeded, and that every body ran, and
 * throws otherwise. The launcher is made once per trial; the discovery request is built per invocation. Longer
 * warmup than the other benchmarks: the engine's code is still getting faster after 3 s, and one invocation can
 * take most of a second on JDK 17.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ExtensionOverheadBenchmark {

    static final int TESTS = 1_000;

    /** The default configuration: debug on, body on JUnit's thread until it first suspends. */
    static final Map<String, String> DEFAULTS = Map.of();

    /** Debug mode off. */
    static final Map<String, String> NO_DEBUG = Map.of("loopharness.debug", "false");

    /** Each body starts on a thread of the loop's own. */
    static final Map<String, String> SEPARATE_THREAD = Map.of("loopharness.body", "coroutine_separate_thread");

    /** Bumped by every test body, on whatever thread runs it. */
    static final AtomicLong BODIES = new AtomicLong();

    /** The baseline fixture: {@value #TESTS} trivial tests, no extension. */
    public static class Plain {
        @RepeatedTest(TESTS)
        void trivial() {
            BODIES.incrementAndGet();
        }
    }

    /** The same tests with {@code @WithEventLoop}: each body is a coroutine on its own fresh loop. */
    @WithEventLoop
    public static class OnTheLoop {
        @RepeatedTest(TESTS)
        void trivial() {
            EventLoops.getRunningLoop(); // throws unless the body runs on a loop
            BODIES.incrementAndGet();
        }
    }

    /**
     * {@code TestBuildersKt.runTest-8Mi8wO0$default(context, timeout, body, mask, null)}: Kotlin's {@code runTest
     * { ... }} with the context and the timeout left to their defaults (mask 0b11).
     */
    private static final MethodHandle RUN_TEST = runTestWithDefaults();

    private static final int DEFAULT_CONTEXT_AND_TIMEOUT = 0b11;

    private static MethodHandle runTestWithDefaults() {
        MethodType type = MethodType.methodType(
                void.class, CoroutineContext.class, long.class, Function2.class, int.class, Object.class);
        try {
            return MethodHandles.publicLookup().findStatic(TestBuildersKt.class, "runTest-8Mi8wO0$default", type);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException("kotlinx-coroutines-test has no runTest" + type + " to call", e);
        }
    }

    /** A {@code runTest} body that does not suspend: it checks its scope, bumps the counter, returns {@code Unit}. */
    static final class TrivialBody implements Function2<TestScope, Continuation<? super Unit>, Object> {
        @Override
        public Object invoke(TestScope scope, Continuation<? super Unit> continuation) {
            if (scope == null || continuation == null) {
                throw new IllegalStateException("runTest called its body without a scope or a continuation");
            }
            BODIES.incrementAndGet();
            return Unit.INSTANCE;
        }
    }

    /** The same tests, each body inside kotlinx-coroutines-test's {@code runTest}, as a Kotlin test writes it. */
    public static class InRunTest {
        private static final TrivialBody BODY = new TrivialBody();

        @RepeatedTest(TESTS)
        void trivial() throws Throwable {
            RUN_TEST.invokeExact(
                    (CoroutineContext) null, 0L, (Function2<?, ?, ?>) BODY, DEFAULT_CONTEXT_AND_TIMEOUT, (Object) null);
        }
    }

    @State(Scope.Thread)
    public static class Engine {
        Launcher launcher;

        @Setup(Level.Trial)
        public void setUp() {
            launcher = LauncherFactory.create();
        }

        /**
         * Runs the fixture through the launcher with the given configuration parameters; returns the number of
         * tests run, or throws unless all passed.
         */
        int run(Class<?> fixture, Map<String, String> parameters) {
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(fixture))
                    .configurationParameters(parameters)
                    .build();
            Outcome outcome = new Outcome();
            long bodiesBefore = BODIES.get();
            launcher.execute(request, outcome);
            long bodies = BODIES.get() - bodiesBefore;
            if (outcome.succeeded != TESTS || outcome.other != 0 || bodies != TESTS) {
                throw new IllegalStateException(
                        fixture.getSimpleName() + ": expected " + TESTS + " successful tests, got "
                                + outcome.succeeded + " successful, " + outcome.other
                                + " failed, aborted or skipped, " + bodies + " bodies run",
                        outcome.firstProblem);
            }
            return outcome.succeeded;
        }
    }

    /** Counts the outcomes of tests and keeps the first failure of anything (test or container). */
    static final class Outcome implements TestExecutionListener {
        int succeeded;
        int other;
        Throwable firstProblem;

        @Override
        public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
            boolean ok = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
            if (!ok && firstProblem == null) {
                firstProblem = result.getThrowable()
                        .orElseGet(() ->
                                new IllegalStateException(identifier.getDisplayName() + ": " + result.getStatus()));
            }
            if (identifier.isTest()) {
                if (ok) {
                    succeeded++;
                } else {
                    other++;
                }
            } else if (!ok) {
                other++;
            }
        }

        @Override
        public void executionSkipped(TestIdentifier identifier, String reason) {
            other++;
            if (firstProblem == null) {
                firstProblem = new IllegalStateException(identifier.getDisplayName() + " skipped: " + reason);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(TESTS)
    public int plain(Engine engine) {
        return engine.run(Plain.class, DEFAULTS);
    }

    @Benchmark
    @OperationsPerInvocation(TESTS)
    public int withEventLoop(Engine engine) {
        return engine.run(OnTheLoop.class, DEFAULTS);
    }

    @Benchmark
    @OperationsPerInvocation(TESTS)
    public int withEventLoopNoDebug(Engine engine) {
        return engine.run(OnTheLoop.class, NO_DEBUG);
    }

    @Benchmark
    @OperationsPerInvocation(TESTS)
    public int withEventLoopSeparateThread(Engine engine) {
        return engine.run(OnTheLoop.class, SEPARATE_THREAD);
    }

    @Benchmark
    @OperationsPerInvocation(TESTS)
    public int runTest(Engine engine) {
        return engine.run(InRunTest.class, DEFAULTS);
    }
}
