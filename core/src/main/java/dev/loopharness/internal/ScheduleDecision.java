package dev.loopharness.internal;

import dev.loopharness.spi.ExploredSchedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One decision of an explored schedule: how late a timer fired and whether it went ahead of timers due at the
 * same instant, or for how many loop iterations work from another thread was held back. Knows what it overtook,
 * so that a report can say how the schedule departed from the unperturbed one. Confined to the loop's thread
 * while the loop runs; read by the extension after it.
 *
 * @since 0.1.0
 */
public final class ScheduleDecision implements ExploredSchedule.Decision {

    private final int index;
    /** Says what the decision was about; only called when a report or a trace needs it. */
    private final Supplier<String> describe;

    private String subject;
    private final long lateNanos;
    private final boolean ahead;
    private final int heldIterations;
    final long deadline;
    final long sequence;
    private final List<ScheduleDecision> overtakenBy = new ArrayList<>();
    private final List<ScheduleDecision> wentAheadOf = new ArrayList<>();

    private ScheduleDecision(
            int index,
            Supplier<String> describe,
            long lateNanos,
            boolean ahead,
            int heldIterations,
            long deadline,
            long sequence) {
        this.index = index;
        this.describe = describe;
        this.lateNanos = lateNanos;
        this.ahead = ahead;
        this.heldIterations = heldIterations;
        this.deadline = deadline;
        this.sequence = sequence;
    }

    static ScheduleDecision timer(
            int index, Supplier<String> describe, long lateNanos, boolean ahead, long deadline, long seq) {
        return new ScheduleDecision(index, describe, lateNanos, ahead, 0, deadline, seq);
    }

    static ScheduleDecision answer(int index, Supplier<String> describe, int heldIterations) {
        return new ScheduleDecision(index, describe, 0, false, heldIterations, 0, 0);
    }

    /**
     * The decision's number in its run: timers take the even numbers in the order they were created, work from
     * other threads the odd ones in the order it arrived, so that one kind's timing does not renumber the other.
     *
     * @return the number, for shrinking
     */
    @Override
    public int index() {
        return index;
    }

    /**
     * Whether the decision departed from the unperturbed schedule: a late timer, a timer that went ahead of
     * another due at the same instant, or work held back.
     *
     * @return {@code true} if it did
     */
    @Override
    public boolean departed() {
        return lateNanos > 0 || heldIterations > 0 || !wentAheadOf.isEmpty();
    }

    boolean ahead() {
        return ahead;
    }

    /** What the decision was about, described once, when first asked. */
    String subject() {
        if (subject == null) {
            subject = describe.get();
        }
        return subject;
    }

    void overtakenBy(ScheduleDecision other) {
        overtakenBy.add(other);
    }

    void wentAheadOf(ScheduleDecision other) {
        wentAheadOf.add(other);
    }

    private static String subjects(List<ScheduleDecision> decisions) {
        return decisions.stream().map(ScheduleDecision::subject).collect(Collectors.joining(" and "));
    }

    /**
     * The decision's values in one line, the same on every JVM for the same seed and test: for comparing runs.
     *
     * @return for example {@code "#4 late=2500us ahead=false: timer of task 'refresh' due at 0.100 s"}
     */
    @Override
    public String trace() {
        String values = index % 2 == 0 ? "late=" + lateNanos / 1000 + "us ahead=" + ahead : "held=" + heldIterations;
        return "#" + index + " " + values + ": " + subject();
    }

    /**
     * What the decision changed, for people.
     *
     * @return for example {@code "#4 timer of task 'refresh' due at 0.100 s (created at ...) fired 2.500 ms late,
     *     after timer of task 'read' ..."}
     */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("#").append(index).append(' ').append(subject());
        if (heldIterations > 0) {
            text.append(" arrived ")
                    .append(heldIterations)
                    .append(" loop iteration")
                    .append(heldIterations == 1 ? "" : "s")
                    .append(" late");
        }
        if (lateNanos > 0) {
            text.append(" fired ")
                    .append(String.format(Locale.ROOT, "%.3f", lateNanos / 1e6))
                    .append(" ms late");
        }
        if (!overtakenBy.isEmpty()) {
            text.append(lateNanos > 0 ? ", after " : " fired after ").append(subjects(overtakenBy));
        }
        if (!wentAheadOf.isEmpty()) {
            text.append(lateNanos > 0 || !overtakenBy.isEmpty() ? ", and" : "")
                    .append(" fired ahead of ")
                    .append(subjects(wentAheadOf))
                    .append(", due at the same instant");
        }
        return text.toString();
    }
}
