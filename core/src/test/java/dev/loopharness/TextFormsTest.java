package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the core's objects say about themselves: the names of queues and synchronization primitives, and the
 * {@code toString} of clocks, outcomes, contexts and handles. These texts end up in diagnostics, so each is
 * pinned here.
 */
class TextFormsTest {

    private final EventLoop loop = EventLoops.newEventLoop(new VirtualClock());

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    private static <P> Arguments primitive(
            String kind, Supplier<P> make, BiFunction<P, String, P> withName, Function<P, String> name) {
        return Arguments.of(kind, make, withName, name);
    }

    static Stream<Arguments> primitives() {
        return Stream.of(
                primitive("LoopBarrier", () -> new LoopBarrier(2), LoopBarrier::withName, LoopBarrier::name),
                primitive("LoopCondition", LoopCondition::new, LoopCondition::withName, LoopCondition::name),
                primitive("LoopEvent", LoopEvent::new, LoopEvent::withName, LoopEvent::name),
                primitive("LoopLock", LoopLock::new, LoopLock::withName, LoopLock::name),
                primitive("LoopQueue", LoopQueue<String>::new, LoopQueue<String>::withName, LoopQueue<String>::name),
                primitive("LoopSemaphore", () -> new LoopSemaphore(1), LoopSemaphore::withName, LoopSemaphore::name));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("primitives")
    <P> void aPrimitiveKeepsItsNameAndShowsIt(
            String kind, Supplier<P> make, BiFunction<P, String, P> withName, Function<P, String> name) {
        P unnamed = make.get();
        assertThat(name.apply(unnamed)).isNull();
        assertThat(unnamed.toString()).matches(kind + "@[0-9a-f]+");

        P primitive = withName.apply(unnamed, "gate");

        assertThat(primitive).isSameAs(unnamed);
        assertThat(name.apply(primitive)).isEqualTo("gate");
        assertThat(primitive).hasToString(kind + " 'gate'");
        assertThatThrownBy(() -> withName.apply(make.get(), null))
                .isExactlyInstanceOf(NullPointerException.class)
                .hasMessage("name must not be null");
    }

    @Test
    void theSystemClockSaysWhatItIs() {
        assertThat(LoopClock.system()).hasToString("LoopClock.system()");
    }

    @Test
    void theLoopsJdkClockIsEqualForTheSameLoopAndZoneOnly() {
        Clock clock = loop.asClock();
        Clock utc = clock.withZone(ZoneOffset.UTC);
        Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));
        try (EventLoop other = EventLoops.newEventLoop(new VirtualClock())) {
            Clock otherUtc = other.asClock().withZone(ZoneOffset.UTC);

            assertThat(utc).isEqualTo(loop.asClock().withZone(ZoneOffset.UTC)).isNotEqualTo(paris);
            assertThat(utc).isNotEqualTo(otherUtc).isNotEqualTo(Clock.systemUTC());
            assertThat(utc.hashCode())
                    .isEqualTo(loop.asClock().withZone(ZoneOffset.UTC).hashCode());
            assertThat(paris).hasToString("LoopTimeClock[" + loop + ", Europe/Paris]");
        }
    }

    @Test
    void anOutcomeShowsItsValueOrItsException() {
        IllegalStateException failure = new IllegalStateException("broke");
        List<Outcome<String>> outcomes = loop.runUntilComplete(() -> Async.<String>gatherSettled(() -> "fine", () -> {
            throw failure;
        }));

        assertThat(outcomes.get(0)).hasToString("<Outcome value=fine>");
        assertThat(outcomes.get(1)).hasToString("<Outcome exception=" + failure + ">");
    }

    @Test
    void aContextShowsItsExceptionTaskAndHandle() {
        Task<String> task = loop.createTask(() -> "done");
        Handle handle = loop.callSoon(() -> {});
        IllegalStateException failure = new IllegalStateException("broke");

        ExceptionContext context =
                ExceptionContext.of("it broke", failure).withTask(task).withHandle(handle);

        assertThat(context)
                .hasToString("it broke\n  exception: " + failure + "\n  task: " + task + "\n  handle: " + handle);
        assertThat(ExceptionContext.of("only a message", null)).hasToString("only a message");
        loop.runUntilComplete(task);
    }

    /** A callback that is neither a lambda nor something with a text of its own. */
    static final class PlainCallback implements Runnable {
        @Override
        public void run() {}
    }

    /** A callback with a text of its own. */
    static final class DescribedCallback implements Runnable {
        @Override
        public void run() {}

        @Override
        public String toString() {
            return "refresh the cache";
        }
    }

    @Test
    void aHandleNamesItsCallbackByClassOrByItsOwnText() {
        Handle plain = loop.callSoon(new PlainCallback());
        Handle described = loop.callSoon(new DescribedCallback());

        assertThat(plain.toString()).contains(" " + PlainCallback.class.getName() + ">");
        assertThat(described.toString()).contains(" refresh the cache>");
    }
}
