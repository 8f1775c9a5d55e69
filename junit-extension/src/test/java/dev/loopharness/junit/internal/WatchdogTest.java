package dev.loopharness.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.loopharness.testing.CapturedLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The watchdog on its own. Every wait here is on a latch with a generous bound; an order is checked by what ran,
 * never by how long it took.
 */
class WatchdogTest {

    private static final long GENEROUS_SECONDS = 30;

    private final Watchdog watchdog = new Watchdog();

    @AfterEach
    void closeTheWatchdog() {
        watchdog.close();
    }

    @Test
    void anAlarmRunsItsActionOnTheWatchdogsThread() throws InterruptedException {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CountDownLatch fired = new CountDownLatch(1);

        watchdog.after(Duration.ofMillis(5), () -> {
            ranOn.set(Thread.currentThread());
            fired.countDown();
        });

        assertThat(fired.await(GENEROUS_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(ranOn.get().getName()).isEqualTo("loopharness-watchdog");
        assertThat(ranOn.get().isDaemon()).isTrue();
        assertThat(ranOn.get()).isNotSameAs(Thread.currentThread());
    }

    @Test
    void alarmsFireByDeadlineAndAlarmsDueTogetherInArmingOrder() throws InterruptedException {
        List<String> fired = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(4);
        Runnable late = () -> {
            fired.add("late");
            all.countDown();
        };

        // Armed first and due last: only a stall of a second between two calls could reorder it.
        watchdog.after(Duration.ofSeconds(1), late);
        watchdog.after(Duration.ofMillis(50), () -> {
            fired.add("early");
            all.countDown();
        });
        watchdog.after(Duration.ZERO, () -> {
            fired.add("now 1");
            all.countDown();
        });
        watchdog.after(Duration.ofMillis(-5), () -> {
            fired.add("now 2");
            all.countDown();
        });

        assertThat(all.await(GENEROUS_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(fired).containsExactly("now 1", "now 2", "early", "late");
    }

    @Test
    void aCancelledAlarmNeverFires() throws InterruptedException {
        AtomicBoolean cancelledRan = new AtomicBoolean();
        CountDownLatch later = new CountDownLatch(1);

        Watchdog.Alarm cancelled = watchdog.after(Duration.ofSeconds(1), () -> cancelledRan.set(true));
        cancelled.cancel();
        watchdog.after(Duration.ofMillis(1200), later::countDown);

        // The later alarm is due after the cancelled one, and alarms fire in deadline order on one thread.
        assertThat(later.await(GENEROUS_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(cancelledRan).isFalse();
    }

    @Test
    void anEarlierAlarmArmedWhileTheThreadWaitsForALaterOneStillFiresFirst() throws InterruptedException {
        List<String> fired = new CopyOnWriteArrayList<>();
        CountDownLatch first = new CountDownLatch(1);
        watchdog.after(Duration.ofMillis(1), first::countDown);
        assertThat(first.await(GENEROUS_SECONDS, TimeUnit.SECONDS)).isTrue();
        CountDownLatch both = new CountDownLatch(2);

        // The thread now plans to wake for an alarm an hour away; a sooner one must wake it.
        Watchdog.Alarm farAway = watchdog.after(Duration.ofHours(1), () -> fired.add("an hour"));
        watchdog.after(Duration.ofMillis(20), () -> {
            fired.add("soon");
            both.countDown();
        });
        watchdog.after(Duration.ofMillis(40), () -> {
            fired.add("a bit later");
            both.countDown();
        });

        assertThat(both.await(GENEROUS_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(fired).containsExactly("soon", "a bit later");
        farAway.cancel();
    }

    @Test
    void aDelayTooLongForNanoTimeDoesNotOverflowIntoThePast() throws InterruptedException {
        AtomicBoolean farFutureRan = new AtomicBoolean();
        CountDownLatch soon = new CountDownLatch(1);

        watchdog.after(Duration.ofDays(365L * 1_000_000), () -> farFutureRan.set(true));
        watchdog.after(Duration.ofMillis(50), soon::countDown);

        assertThat(soon.await(GENEROUS_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(farFutureRan).isFalse();
    }

    @Test
    void aFailingActionIsLoggedAndTheWatchdogGoesOn() throws InterruptedException {
        try (CapturedLog log = CapturedLog.of("dev.loopharness.junit")) {
            CountDownLatch next = new CountDownLatch(1);
            IllegalStateException failure = new IllegalStateException("the action broke");

            watchdog.after(Duration.ofMillis(1), () -> {
                throw failure;
            });
            watchdog.after(Duration.ofMillis(50), next::countDown);

            assertThat(next.await(GENEROUS_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(log.records()).singleElement().satisfies(record -> {
                assertThat(record.getLevel()).isEqualTo(java.util.logging.Level.WARNING);
                assertThat(record.getMessage()).isEqualTo("A loopharness timeout action failed");
                assertThat(record.getThrown()).isSameAs(failure);
            });
        }
    }

    @Test
    void closeEndsTheThreadDropsPendingAlarmsAndRefusesNewOnes() throws InterruptedException {
        AtomicReference<Thread> thread = new AtomicReference<>();
        AtomicBoolean pendingRan = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        watchdog.after(Duration.ZERO, () -> {
            thread.set(Thread.currentThread());
            started.countDown();
        });
        watchdog.after(Duration.ofHours(1), () -> pendingRan.set(true));
        assertThat(started.await(GENEROUS_SECONDS, TimeUnit.SECONDS)).isTrue();

        watchdog.close();

        assertThat(thread.get().isAlive()).isFalse();
        assertThat(pendingRan).isFalse();
        assertThatThrownBy(() -> watchdog.after(Duration.ofSeconds(1), () -> {}))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessage("The loopharness watchdog is closed: the test run has ended");
        watchdog.close(); // a second close is harmless
    }

    @Test
    void aWatchdogNeverArmedStartsNoThreadAndClosesAtOnce() {
        long before = watchdogThreads();

        Watchdog unused = new Watchdog();
        unused.close();

        assertThat(watchdogThreads()).isEqualTo(before);
        assertThatThrownBy(() -> unused.after(Duration.ofSeconds(1), () -> {}))
                .isInstanceOf(RejectedExecutionException.class);
    }

    private static long watchdogThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("loopharness-watchdog"))
                .count();
    }
}
