package dev.loopharness.junit;

import static dev.loopharness.testing.EngineRuns.failureOf;
import static dev.loopharness.testing.EngineRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.EventLoop;
import dev.loopharness.LoopQueue;
import dev.loopharness.VirtualClock;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The extension claims only the parameters it can give: another resolver may provide the library's other types
 * beside it, and the loop and its views still resolve.
 */
class ParameterResolutionEngineTest {

    /** A user's resolver for a type of this library that the extension does not provide. */
    static final class QueueResolver implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == LoopQueue.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return new LoopQueue<String>(7);
        }
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    @ExtendWith(QueueResolver.class)
    static class AnotherResolverBeside {
        @Test
        void getsTheQueueFromTheOtherResolver(LoopQueue<String> queue, EventLoop loop) {
            assertThat(queue.maxsize()).isEqualTo(7);
            queue.putNowait("resolved");
            assertThat(queue.getNowait()).isEqualTo("resolved");
            assertThat(loop.isVirtualTime()).isTrue();
        }
    }

    @WithEventLoop(clock = ClockMode.VIRTUAL)
    static class EverySupportedType {
        @Test
        void getsTheLoopAndItsViews(
                EventLoop loop,
                Executor executor,
                Clock clock,
                ScheduledExecutorService scheduler,
                VirtualClock virtualClock) {
            assertThat(executor).isSameAs(loop);
            assertThat(clock.millis()).isEqualTo(loop.asClock().millis());
            assertThat(scheduler.isShutdown()).isFalse();
            assertThat(virtualClock).isSameAs(loop.clock());
        }
    }

    @WithEventLoop
    static class UnprovidedLibraryType {
        @Test
        void asksForAQueueNobodyProvides(LoopQueue<String> queue) {}
    }

    @WithEventLoop
    static class VirtualClockOnTheRealClock {
        @Test
        void asksForTheVirtualClock(VirtualClock clock) {}
    }

    @Test
    void anotherResolverProvidesALibraryTypeTheExtensionDoesNot() {
        run(AnotherResolverBeside.class)
                .assertStatistics(stats -> stats.started(1).succeeded(1));
    }

    @Test
    void theLoopItsViewsAndTheVirtualClockStillResolve() {
        run(EverySupportedType.class).assertStatistics(stats -> stats.started(1).succeeded(1));
    }

    @Test
    void aLibraryTypeNobodyProvidesIsLeftToJUnitsOwnMessage() {
        Throwable failure = failureOf(run(UnprovidedLibraryType.class));
        assertThat(failure)
                .isInstanceOf(ParameterResolutionException.class)
                .hasMessageStartingWith("No ParameterResolver registered for parameter [dev.loopharness.LoopQueue<");
    }

    @Test
    void theVirtualClockOnTheRealClockIsRefusedWithTheFix() {
        Throwable failure = failureOf(run(VirtualClockOnTheRealClock.class));
        assertThat(failure)
                .isInstanceOf(ParameterResolutionException.class)
                .hasMessageContaining("dev.loopharness.VirtualClock")
                .hasMessageContaining("use @WithEventLoop(clock = VIRTUAL)");
    }
}
