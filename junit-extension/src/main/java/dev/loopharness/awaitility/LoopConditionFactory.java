// Over 500 lines, knowingly for now: Awaitility's ConditionFactory surface, mirrored method by method; issue
// #16 narrows it to what users need and shares one polling primitive with LoopMockito.
package dev.loopharness.awaitility;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.EventLoops;
import dev.loopharness.junit.internal.Arguments;
import dev.loopharness.junit.internal.Throwables;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.ThrowingRunnable;
import org.awaitility.pollinterval.FixedPollInterval;
import org.awaitility.pollinterval.PollInterval;
import org.hamcrest.Matcher;
import org.hamcrest.Matchers;

/**
 * Awaitility's condition DSL, bound to an event loop. Configure a wait with the methods Awaitility users know
 * ({@link #atMost(Duration)}, {@link #pollInterval(Duration)}, {@link #alias(String)} ...), then wait with
 * {@link #until(Callable)}, {@link #untilAsserted(ThrowingRunnable)} and their kin.
 *
 * <p>How a wait runs depends on the thread that waits:
 *
 * <ul>
 *   <li>a coroutine of the loop (a test body under {@code @WithEventLoop}, a task) suspends between polls, so the
 *       loop keeps running the timers, callbacks and tasks that make the condition true. The condition is
 *       evaluated in a callback on the loop. Every duration ({@code atMost}, {@code atLeast}, {@code during}, the
 *       poll delay and interval) is loop time: on a {@link dev.loopharness.VirtualClock} a wait of seconds takes
 *       milliseconds of real time. When {@code atMost} has passed the condition is evaluated once more, and then
 *       the wait fails;
 *   <li>another thread (a test thread while a shared loop runs on its own thread, say) waits in real time with
 *       Awaitility's own engine, which evaluates the condition on the loop through its poll executor;
 *   <li>a callback on the loop's thread cannot wait at all: it gets an {@link IllegalStateException}.
 * </ul>
 *
 * <p>A wait that runs out of time throws Awaitility's {@link ConditionTimeoutException}, worded as Awaitility
 * words it (on a virtual clock the duration says "of virtual time"); the last ignored exception, or the last
 * failed assertion, is its cause. An exception the condition throws that is not ignored ends the wait at once and
 * is rethrown as it is.
 *
 * <p>The defaults are Awaitility's built-in ones: at most 10 seconds, a fixed poll interval of 100 milliseconds,
 * a poll delay equal to a fixed interval (zero for other intervals), no exceptions ignored. Awaitility's global
 * defaults ({@code Awaitility.setDefaultTimeout} and the like) are not consulted. Instances are immutable: each
 * method returns a new factory, and one factory may serve several waits and threads.
 *
 * @since 0.1.0
 */
public final class LoopConditionFactory {

    private final WaitSettings settings;

    LoopConditionFactory(WaitSettings settings) {
        this.settings = settings;
    }

    // ---- how long --------------------------------------------------------------------------------------------

    /**
     * Fails the wait if the condition is not met within this time.
     *
     * @param timeout the longest wait, in loop time on a coroutine; zero or positive, not {@code null}
     * @return a new factory
     * @throws IllegalArgumentException if {@code timeout} is negative, or not longer than {@code atLeast} or
     *     {@code during}
     * @throws NullPointerException if {@code timeout} is {@code null}
     */
    public LoopConditionFactory atMost(Duration timeout) {
        notNegative(timeout, "atMost");
        checkBounds(settings.atLeast, timeout, settings.holdFor);
        return with(s -> s.atMost = timeout);
    }

    /**
     * Fails the wait if the condition is not met within this time.
     *
     * @param timeout the amount; zero or positive
     * @param unit its unit; not {@code null}
     * @return a new factory
     * @throws IllegalArgumentException if the duration is negative
     */
    public LoopConditionFactory atMost(long timeout, TimeUnit unit) {
        return atMost(duration(timeout, unit, "atMost"));
    }

    /**
     * Another name for {@link #atMost(Duration)}.
     *
     * @param timeout the longest wait; zero or positive, not {@code null}
     * @return a new factory
     */
    public LoopConditionFactory timeout(Duration timeout) {
        return atMost(timeout);
    }

    /**
     * Waits with no time limit.
     *
     * @return a new factory
     */
    public LoopConditionFactory forever() {
        return with(s -> s.atMost = null);
    }

    /**
     * Fails the wait if the condition is met sooner than this.
     *
     * @param minimum the shortest wait; zero or positive, shorter than {@code atMost}, not {@code null}
     * @return a new factory
     * @throws IllegalArgumentException if {@code minimum} is negative or not shorter than {@code atMost}
     */
    public LoopConditionFactory atLeast(Duration minimum) {
        notNegative(minimum, "atLeast");
        checkBounds(minimum, settings.atMost, settings.holdFor);
        return with(s -> s.atLeast = minimum);
    }

    /**
     * Fails the wait if the condition is met sooner than this.
     *
     * @param minimum the amount; zero or positive
     * @param unit its unit; not {@code null}
     * @return a new factory
     */
    public LoopConditionFactory atLeast(long minimum, TimeUnit unit) {
        return atLeast(duration(minimum, unit, "atLeast"));
    }

    /**
     * Both bounds at once: the condition must be met no sooner than {@code atLeast} and no later than {@code
     * atMost}.
     *
     * @param atLeast the shortest wait; zero or positive, not {@code null}
     * @param atMost the longest wait; longer than {@code atLeast}, not {@code null}
     * @return a new factory
     */
    public LoopConditionFactory between(Duration atLeast, Duration atMost) {
        return atMost(atMost).atLeast(atLeast);
    }

    /**
     * Requires the condition, once met, to stay met for this long before the wait succeeds.
     *
     * @param holdFor how long; zero or positive, shorter than {@code atMost}, not {@code null}
     * @return a new factory
     */
    public LoopConditionFactory during(Duration holdFor) {
        notNegative(holdFor, "during");
        checkBounds(settings.atLeast, settings.atMost, holdFor);
        return with(s -> s.holdFor = holdFor);
    }

    /**
     * Requires the condition, once met, to stay met for this long before the wait succeeds.
     *
     * @param holdFor the amount; zero or positive
     * @param unit its unit; not {@code null}
     * @return a new factory
     */
    public LoopConditionFactory during(long holdFor, TimeUnit unit) {
        return during(duration(holdFor, unit, "during"));
    }

    // ---- how often -------------------------------------------------------------------------------------------

    /**
     * Evaluates the condition at this fixed interval.
     *
     * @param interval the interval; positive, not {@code null}
     * @return a new factory
     * @throws IllegalArgumentException if {@code interval} is zero or negative
     */
    public LoopConditionFactory pollInterval(Duration interval) {
        return pollInterval(new FixedPollInterval(Arguments.positive(interval, "pollInterval")));
    }

    /**
     * Evaluates the condition at this fixed interval.
     *
     * @param interval the amount; positive
     * @param unit its unit; not {@code null}
     * @return a new factory
     */
    public LoopConditionFactory pollInterval(long interval, TimeUnit unit) {
        return pollInterval(duration(interval, unit, "pollInterval"));
    }

    /**
     * Evaluates the condition at the intervals Awaitility's strategy gives: {@code fibonacci()}, {@code
     * iterative(...)} or one of your own.
     *
     * @param interval the strategy; not {@code null}
     * @return a new factory
     */
    public LoopConditionFactory pollInterval(PollInterval interval) {
        Arguments.notNull(interval, "pollInterval");
        return with(s -> s.pollInterval = interval);
    }

    /**
     * Waits this long before the first evaluation.
     *
     * @param delay the delay; zero or positive, not {@code null}
     * @return a new factory
     */
    public LoopConditionFactory pollDelay(Duration delay) {
        notNegative(delay, "pollDelay");
        return with(s -> s.pollDelay = delay);
    }

    /**
     * Waits this long before the first evaluation.
     *
     * @param delay the amount; zero or positive
     * @param unit its unit; not {@code null}
     * @return a new factory
     */
    public LoopConditionFactory pollDelay(long delay, TimeUnit unit) {
        return pollDelay(duration(delay, unit, "pollDelay"));
    }

    // ---- what it is called, what it forgives, when it gives up -----------------------------------------------

    /**
     * Names the wait; the name appears in its timeout message.
     *
     * @param alias the name; not {@code null}
     * @return a new factory
     */
    public LoopConditionFactory alias(String alias) {
        Arguments.notNull(alias, "alias");
        return with(s -> s.alias = alias);
    }

    /**
     * Treats every exception the condition throws as "not yet".
     *
     * @return a new factory
     */
    public LoopConditionFactory ignoreExceptions() {
        return ignoreExceptionsMatching(failure -> true);
    }

    /**
     * Treats no exception as "not yet": the first one the condition throws ends the wait (the default).
     *
     * @return a new factory
     */
    public LoopConditionFactory ignoreNoExceptions() {
        return with(s -> s.ignored = failure -> false);
    }

    /**
     * Treats exceptions of exactly this class as "not yet".
     *
     * @param type the class; not {@code null}
     * @return a new factory
     */
    public LoopConditionFactory ignoreException(Class<? extends Throwable> type) {
        Arguments.notNull(type, "exceptionType");
        return ignoreExceptionsMatching(failure -> failure.getClass().equals(type));
    }

    /**
     * Treats exceptions of this class or its subclasses as "not yet".
     *
     * @param type the class; not {@code null}
     * @return a new factory
     */
    public LoopConditionFactory ignoreExceptionsInstanceOf(Class<? extends Throwable> type) {
        Arguments.notNull(type, "exceptionType");
        return ignoreExceptionsMatching(type::isInstance);
    }

    /**
     * Treats the exceptions this predicate accepts as "not yet".
     *
     * @param predicate the test; not {@code null}
     * @return a new factory
     */
    public LoopConditionFactory ignoreExceptionsMatching(Predicate<? super Throwable> predicate) {
        Arguments.notNull(predicate, "predicate");
        return with(s -> s.ignored = predicate);
    }

    /**
     * Ends the wait with Awaitility's {@link org.awaitility.core.TerminalFailureException} as soon as this
     * returns {@code true}; it is evaluated before each evaluation of the condition.
     *
     * @param reason the exception's message; not {@code null}
     * @param failFast the check; not {@code null}
     * @return a new factory
     */
    public LoopConditionFactory failFast(String reason, Callable<Boolean> failFast) {
        Arguments.notNull(reason, "failFastFailureReason");
        Arguments.notNull(failFast, "failFastCondition");
        return with(s -> {
            s.failFastReason = reason;
            s.failFast = failFast;
        });
    }

    // ---- words that read well and change nothing --------------------------------------------------------------

    /**
     * Reads well; changes nothing.
     *
     * @return this factory
     */
    public LoopConditionFactory and() {
        return this;
    }

    /**
     * Reads well; changes nothing.
     *
     * @return this factory
     */
    public LoopConditionFactory with() {
        return this;
    }

    /**
     * Reads well; changes nothing.
     *
     * @return this factory
     */
    public LoopConditionFactory then() {
        return this;
    }

    /**
     * Reads well; changes nothing.
     *
     * @return this factory
     */
    public LoopConditionFactory given() {
        return this;
    }

    /**
     * Reads well; changes nothing.
     *
     * @return this factory
     */
    public LoopConditionFactory await() {
        return this;
    }

    /**
     * Names the wait, as {@link #alias(String)} does.
     *
     * @param alias the name; not {@code null}
     * @return a new factory
     */
    public LoopConditionFactory await(String alias) {
        return alias(alias);
    }

    // ---- waiting ---------------------------------------------------------------------------------------------

    /**
     * Waits until the callable returns {@code true}.
     *
     * @param condition the condition; evaluated on the loop, not {@code null}
     * @throws ConditionTimeoutException if it is not met in time
     * @throws IllegalStateException if called from a callback on the loop's thread, or outside a coroutine with
     *     no loop named
     */
    public void until(Callable<Boolean> condition) {
        Arguments.notNull(condition, "condition");
        waitFor(Condition.callable(condition), factory -> {
            factory.until(condition);
            return null;
        });
    }

    /**
     * Waits until the value the supplier returns satisfies the predicate.
     *
     * @param <T> the value's type
     * @param supplier gives the value; evaluated on the loop, not {@code null}
     * @param predicate tests it; not {@code null}
     * @return the value that satisfied the predicate
     * @throws ConditionTimeoutException if none does in time
     */
    public <T> T until(Callable<T> supplier, Predicate<? super T> predicate) {
        Arguments.notNull(predicate, "predicate");
        return until(supplier, Condition.<T>accepting(predicate));
    }

    /**
     * Waits until the value the supplier returns matches the Hamcrest matcher.
     *
     * @param <T> the value's type
     * @param supplier gives the value; evaluated on the loop, not {@code null}
     * @param matcher matches it; not {@code null}
     * @return the value that matched
     * @throws ConditionTimeoutException if none does in time; its message says what the last value was
     */
    public <T> T until(Callable<T> supplier, Matcher<? super T> matcher) {
        Arguments.notNull(supplier, "supplier");
        Arguments.notNull(matcher, "matcher");
        return waitFor(Condition.matching(supplier, matcher), factory -> factory.until(supplier, matcher));
    }

    /**
     * Waits until the assertion passes (throws no {@link AssertionError}): AssertJ, JUnit and Hamcrest
     * assertions, and Mockito's {@code verify}.
     *
     * @param assertion the assertion; evaluated on the loop, not {@code null}
     * @throws ConditionTimeoutException if it still fails when time is up; its message is the last failure's
     */
    public void untilAsserted(ThrowingRunnable assertion) {
        Arguments.notNull(assertion, "assertion");
        waitFor(Condition.asserted(assertion), factory -> {
            factory.untilAsserted(assertion);
            return null;
        });
    }

    /**
     * Waits until the assertion passes for the value the supplier returns.
     *
     * @param <T> the value's type
     * @param supplier gives the value; evaluated on the loop, not {@code null}
     * @param assertion asserts on it; not {@code null}
     * @throws ConditionTimeoutException if it still fails when time is up
     */
    public <T> void untilAsserted(Callable<T> supplier, Consumer<? super T> assertion) {
        Arguments.notNull(supplier, "supplier");
        Arguments.notNull(assertion, "assertion");
        untilAsserted(() -> assertion.accept(supplier.call()));
    }

    /**
     * Waits until the atomic boolean is {@code true}.
     *
     * @param flag the flag; not {@code null}
     * @throws ConditionTimeoutException if it is not set in time
     */
    public void untilTrue(AtomicBoolean flag) {
        untilFlag(flag, true);
    }

    /**
     * Waits until the atomic boolean is {@code false}.
     *
     * @param flag the flag; not {@code null}
     * @throws ConditionTimeoutException if it is not cleared in time
     */
    public void untilFalse(AtomicBoolean flag) {
        untilFlag(flag, false);
    }

    @Override
    public String toString() {
        return "LoopConditionFactory[" + (settings.loop == null ? "the waiting coroutine's loop" : settings.loop)
                + ", atMost=" + (settings.atMost == null ? "forever" : settings.atMost) + "]";
    }

    // ---- internals -------------------------------------------------------------------------------------------

    private void untilFlag(AtomicBoolean flag, boolean expected) {
        Arguments.notNull(flag, "atomic");
        Callable<Boolean> value = flag::get;
        Matcher<Boolean> is = Matchers.is(expected);
        waitFor(Condition.matching("AtomicBoolean", value, is), factory -> factory.until(value, is));
    }

    private <T> T waitFor(Condition<T> onLoop, Function<ConditionFactory, T> onThread) {
        EventLoop coroutineLoop = Async.inCoroutine() ? Async.loop() : null;
        if (coroutineLoop != null) {
            if (settings.loop != null && settings.loop != coroutineLoop) {
                throw new IllegalStateException(WaitMessages.otherLoop(coroutineLoop, settings.loop));
            }
            try {
                return new LoopTimeWait<>(coroutineLoop, settings, onLoop).run();
            } catch (Exception failure) {
                throw Throwables.sneakyThrow(failure);
            }
        }
        EventLoop running = EventLoops.findRunningLoop().orElse(null);
        if (running != null) {
            throw new IllegalStateException(WaitMessages.inCallback(running));
        }
        if (settings.loop == null) {
            throw new IllegalStateException(WaitMessages.noLoop());
        }
        return onThread.apply(ThreadWait.factory(settings.loop, settings));
    }

    private LoopConditionFactory with(Consumer<WaitSettings> change) {
        return new LoopConditionFactory(settings.with(change));
    }

    private static Duration duration(long amount, TimeUnit unit, String name) {
        Arguments.notNull(unit, "unit");
        Duration duration = Duration.ofNanos(unit.toNanos(amount));
        notNegative(duration, name);
        return duration;
    }

    private static void notNegative(Duration value, String name) {
        Arguments.notNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(WaitMessages.negative(name, value));
        }
    }

    private static void checkBounds(Duration atLeast, Duration atMost, Duration holdFor) {
        if (atMost == null) {
            return;
        }
        if (atLeast != null && atLeast.compareTo(atMost) >= 0) {
            throw new IllegalArgumentException(WaitMessages.atLeastNotBelowAtMost(atLeast, atMost));
        }
        if (holdFor != null && holdFor.compareTo(atMost) >= 0) {
            throw new IllegalArgumentException(WaitMessages.holdNotBelowAtMost(holdFor, atMost));
        }
    }
}
