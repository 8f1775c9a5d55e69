package dev.loopharness.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs tests on an event loop: a fresh one per test by default, or one per class, or one shared by the run.
 * Test methods and lifecycle methods run as coroutines on the loop, so {@code Async.await}, {@code Async.sleep}
 * and {@code Async.gather} work inside them, and {@code EventLoops.getEventLoop()} answers the test's loop.
 *
 * <p>After each test, the tasks and timers it left pending, the exceptions raised in callbacks and the task
 * exceptions nobody retrieved are reported with where they were created; a report never hides the test's own
 * failure, to which it is attached as suppressed. Loops the harness owns cannot be closed or stopped by tests.
 * A test that runs past its timeout fails alone, with a dump of every pending task and timer.
 *
 * <p>Put it on a class (inherited by subclasses and {@code @Nested} classes), a method, or another annotation.
 * Attributes left at {@code DEFAULT} or {@code ""} take the configuration parameters {@code loopharness.scope},
 * {@code loopharness.clock}, {@code loopharness.leaks}, {@code loopharness.timeout} and {@code loopharness.body}; {@code loopharness.debug}
 * (default {@code true}) turns the loops' debug mode on or off.
 *
 * <p>Parameters of type {@link dev.loopharness.EventLoop}, {@link java.util.concurrent.Executor}, {@link
 * java.util.concurrent.ScheduledExecutorService}, {@link java.time.Clock} and, with {@link ClockMode#VIRTUAL}, {@link dev.loopharness.VirtualClock} are resolved to the
 * test's loop and its views.
 *
 * @since 0.1.0
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(EventLoopExtension.class)
public @interface WithEventLoop {

    /**
     * How long the loop lives and who shares it.
     *
     * @return the scope; {@link LoopScope#DEFAULT} takes {@code loopharness.scope}, else {@link LoopScope#TEST}
     */
    LoopScope scope() default LoopScope.DEFAULT;

    /**
     * The loop's clock.
     *
     * @return the clock; {@link ClockMode#DEFAULT} takes {@code loopharness.clock}, else {@link ClockMode#REAL}
     */
    ClockMode clock() default ClockMode.DEFAULT;

    /**
     * What happens to work a test leaves pending.
     *
     * @return the policy; {@link LeakPolicy#DEFAULT} takes {@code loopharness.leaks}, else {@link LeakPolicy#FAIL}
     */
    LeakPolicy leaks() default LeakPolicy.DEFAULT;

    /**
     * How long, in real time, each test and lifecycle method may run: a number with a unit ({@code "500ms"},
     * {@code "30s"}, {@code "2m"}, {@code "1h"}) or an ISO-8601 duration ({@code "PT30S"}).
     *
     * @return the timeout; {@code ""} takes {@code loopharness.timeout}, else 60 seconds
     */
    String timeout() default "";

    /**
     * Where test and lifecycle methods run: as coroutines on the loop, or on JUnit's thread, driving the loop
     * themselves (to adopt the harness in a suite whose tests call {@code runUntilComplete}).
     *
     * @return the mode; {@link BodyMode#DEFAULT} takes {@code loopharness.body}, else {@link BodyMode#COROUTINE}
     * @since 0.1.0
     */
    BodyMode body() default BodyMode.DEFAULT;
}
