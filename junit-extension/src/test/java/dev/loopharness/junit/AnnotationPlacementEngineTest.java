package dev.loopharness.junit;

import static dev.loopharness.testing.EngineRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.Task;
import dev.loopharness.testing.CapturedLog;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** Where {@code @WithEventLoop} may be written, which placement wins, and the WARN leak policy. */
class AnnotationPlacementEngineTest {

    /** A team's own annotation that carries the settings. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @WithEventLoop(clock = ClockMode.VIRTUAL, scope = LoopScope.CLASS)
    @interface VirtualClassLoop {}

    @VirtualClassLoop
    static class MetaAnnotated {
        static final List<EventLoop> loops = new ArrayList<>();

        @Test
        void first(EventLoop loop) {
            loops.add(loop);
            long start = loop.time();
            Async.sleep(Duration.ofDays(1));
            assertThat(loop.time() - start).isEqualTo(Duration.ofDays(1).toNanos());
        }

        @Test
        void second(EventLoop loop) {
            loops.add(loop);
        }
    }

    @Test
    void aMetaAnnotationCarriesTheSettings() {
        MetaAnnotated.loops.clear();
        run(MetaAnnotated.class).assertStatistics(stats -> stats.started(2).succeeded(2));
        assertThat(MetaAnnotated.loops).hasSize(2);
        assertThat(MetaAnnotated.loops.get(0)).isSameAs(MetaAnnotated.loops.get(1));
        assertThat(MetaAnnotated.loops.get(0).isClosed()).isTrue();
    }

    @WithEventLoop
    static class MethodOverridesClass {
        static long realSleep;
        static long virtualSleep;

        @Test
        void onTheClassSettings(EventLoop loop) {
            long start = loop.time();
            Async.sleep(Duration.ofMillis(20));
            realSleep = loop.time() - start;
        }

        @Test
        @WithEventLoop(clock = ClockMode.VIRTUAL)
        void onItsOwn(EventLoop loop) {
            long start = loop.time();
            Async.sleep(Duration.ofHours(3));
            virtualSleep = loop.time() - start;
        }
    }

    @Test
    void anAnnotationOnTheMethodWinsOverTheClasss() {
        run(MethodOverridesClass.class)
                .assertStatistics(stats -> stats.started(2).succeeded(2));
        assertThat(MethodOverridesClass.virtualSleep)
                .isEqualTo(Duration.ofHours(3).toNanos());
        assertThat(MethodOverridesClass.realSleep)
                .isGreaterThanOrEqualTo(Duration.ofMillis(20).toNanos());
    }

    @WithEventLoop(leaks = LeakPolicy.WARN)
    static class WarnsOnLeaks {
        static Task<?> left;

        @Test
        void leavesATaskBehind(EventLoop loop) {
            left = loop.createTask(() -> {
                Async.sleep(Duration.ofHours(1));
                return null;
            });
            left.setName("warmer");
        }
    }

    @Test
    void theWarnPolicyLogsWhatWasLeftAndLetsTheTestPass() {
        List<LogRecord> records;
        try (CapturedLog log = CapturedLog.of("dev.loopharness.junit")) {
            run(WarnsOnLeaks.class).assertStatistics(stats -> stats.started(1).succeeded(1));
            records = List.copyOf(log.records());
        }
        assertThat(records)
                .anySatisfy(record -> assertThat(record.getMessage())
                        .startsWith(
                                "Test \"WarnsOnLeaks.leavesATaskBehind()\" left work pending on its event loop: 1 task"
                                        + " and 1 timer.")
                        .contains("task 'warmer' created at " + AnnotationPlacementEngineTest.class.getName()));
        // the TEST loop is still shut down in asyncio's order: the task was cancelled and has settled
        assertThat(WarnsOnLeaks.left.isCancelled()).isTrue();
    }
}
