package dev.loopharness.junit.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Times tests in real time: one daemon thread for the whole run, started with the first alarm and kept in the
 * root store so that JUnit stops it when the run ends.
 *
 * <p>Arming and disarming an alarm wake the thread only when the new alarm is due before the thread would wake
 * anyway. Tests almost always end long before their timeout, and waking a thread for every test (as a {@code
 * ScheduledThreadPoolExecutor} does when a new task heads its queue) would cost more than a trivial test. The
 * thread wakes at the deadline it last planned, finds the alarm gone, and plans for the next one.
 */
final class Watchdog implements AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger("dev.loopharness.junit");

    /** Deadlines further out are treated as this far, so that differences of nanoTime values cannot overflow. */
    private static final long LONGEST_DELAY_NANOS = Long.MAX_VALUE / 4;

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    /** Armed alarms, earliest first. Guarded by {@code lock}, as every field below. */
    private final TreeSet<Alarm> alarms = new TreeSet<>();

    private long sequence;
    private Thread thread;
    private boolean closed;

    /** Whether the thread waits with a deadline, {@code plannedWake}; if not, it waits for an alarm. */
    private boolean waitsTimed;

    private long plannedWake;

    /**
     * Runs an action on the watchdog's thread after a delay, unless the alarm is cancelled first.
     *
     * @param delay how long from now, positive
     * @param action what to run; an exception it throws is logged
     * @return the alarm, to cancel
     * @throws RejectedExecutionException once the watchdog is closed
     */
    Alarm after(Duration delay, Runnable action) {
        lock.lock();
        try {
            if (closed) {
                throw new RejectedExecutionException("The loopharness watchdog is closed: the test run has ended");
            }
            long nanos = delay.compareTo(Duration.ofNanos(LONGEST_DELAY_NANOS)) > 0
                    ? LONGEST_DELAY_NANOS
                    : Math.max(0, delay.toNanos());
            Alarm alarm = new Alarm(System.nanoTime() + nanos, sequence++, action);
            alarms.add(alarm);
            if (thread == null) {
                thread = new Thread(this::watch, "loopharness-watchdog");
                thread.setDaemon(true);
                thread.start();
            } else if (alarms.first() == alarm && (!waitsTimed || alarm.deadline - plannedWake < 0)) {
                changed.signal();
            }
            return alarm;
        } finally {
            lock.unlock();
        }
    }

    /** The thread's body: runs alarms as they fall due, outside the lock, until the watchdog closes. */
    private void watch() {
        lock.lock();
        try {
            while (!closed) {
                Alarm first = alarms.isEmpty() ? null : alarms.first();
                long left = first == null ? 0 : first.deadline - System.nanoTime();
                if (first != null && left <= 0) {
                    alarms.remove(first);
                    lock.unlock();
                    try {
                        fire(first);
                    } finally {
                        lock.lock();
                    }
                } else {
                    waitsTimed = first != null;
                    plannedWake = first != null ? first.deadline : 0;
                    awaitChange(left);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits for a signal, or for {@code nanos} if positive. An interrupt only ends the wait early. */
    private void awaitChange(long nanos) {
        try {
            if (nanos > 0) {
                changed.awaitNanos(nanos);
            } else {
                changed.await();
            }
        } catch (InterruptedException interrupted) {
            // nothing but close() should end this thread; the loop looks at the alarms and the closed flag again
        }
    }

    private static void fire(Alarm alarm) {
        try {
            alarm.action.run();
        } catch (Throwable failure) {
            Throwables.rethrowIfFatal(failure);
            LOGGER.log(Level.WARNING, "A loopharness timeout action failed", failure);
        }
    }

    /** Stops the thread and waits for it; alarms not yet due are dropped. */
    @Override
    public void close() {
        Thread running;
        lock.lock();
        try {
            closed = true;
            alarms.clear();
            running = thread;
            changed.signal();
        } finally {
            lock.unlock();
        }
        if (running != null) {
            try {
                running.join(CLOSE_WAIT.toMillis());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** An armed action and when it falls due; ordered by deadline, then by arming order. */
    final class Alarm implements Comparable<Alarm> {
        private final long deadline;
        private final long order;
        private final Runnable action;

        private Alarm(long deadline, long order, Runnable action) {
            this.deadline = deadline;
            this.order = order;
            this.action = action;
        }

        /** Disarms the alarm; one that has fired or is firing is left alone. Does not wake the thread. */
        void cancel() {
            lock.lock();
            try {
                alarms.remove(this);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int compareTo(Alarm other) {
            long difference = deadline - other.deadline;
            return difference != 0 ? Long.signum(difference) : Long.compare(order, other.order);
        }

        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(order);
        }
    }
}
