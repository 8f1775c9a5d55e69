package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Tasks' threads on JDKs without virtual threads come from a pool of carriers shared by every loop: a task that
 * ends gives its thread to the next. A closed loop leaves no carrier running its code.
 */
class CarrierReuseTest {

    private static boolean virtualThreads() throws ReflectiveOperationException {
        Method isVirtual;
        try {
            isVirtual = Thread.class.getMethod("isVirtual");
        } catch (NoSuchMethodException beforeJava21) {
            return false;
        }
        return EventLoops.run(() -> (Boolean) isVirtual.invoke(Thread.currentThread()));
    }

    @Test
    void aHundredLoopsOneAfterAnotherRunTheirTasksOnOneCarrier() throws Exception {
        assumeThat(virtualThreads())
                .as("tasks run on platform threads (JDK 17 to 20)")
                .isFalse();
        Set<Thread> carriers = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            try (EventLoop loop = EventLoops.newEventLoop()) {
                carriers.add(loop.runUntilComplete(() -> {
                    Async.sleep(Duration.ZERO);
                    return Thread.currentThread();
                }));
            }
        }
        assertThat(carriers).hasSize(1);
        assertThat(carriers)
                .allSatisfy(carrier -> assertThat(carrier.isDaemon()).isTrue());
    }

    @Test
    void aClosedLoopLeavesNoCarrierRunningItsCode() throws Exception {
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        EventLoop loop = EventLoops.newEventLoop();
        for (int i = 0; i < 5; i++) {
            loop.createTask(() -> {
                ranOn.add(Thread.currentThread());
                return Async.await(Async.loop().createFuture()); // waits until the close unwinds it
            });
        }
        loop.runUntilComplete(() -> {
            Async.sleep(Duration.ZERO);
            return null;
        });
        assertThat(ranOn).hasSize(5);

        loop.close();

        List<String> stillHere = new ArrayList<>();
        for (Thread thread : ranOn) {
            Arrays.stream(thread.getStackTrace())
                    .filter(frame -> frame.getClassName().startsWith(CarrierReuseTest.class.getName()))
                    .forEach(frame -> stillHere.add(thread.getName() + " at " + frame));
        }
        assertThat(stillHere).as("frames of the closed loop's coroutines").isEmpty();
    }
}
