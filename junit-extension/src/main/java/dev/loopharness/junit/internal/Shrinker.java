package dev.loopharness.junit.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Delta debugging over the decisions of a failing run, one test run at a time: drops a part of the decisions
 * still kept, keeps the smaller set if the failure remains, else tries another part, then smaller parts, until no
 * single decision can be dropped (a 1-minimal set, as Zeller's ddmin finds) or the attempts run out.
 */
final class Shrinker {

    static final int MAX_ATTEMPTS = 100;

    private List<Integer> kept;
    private int parts;
    private int part;
    private int attempts;
    private List<Integer> trying;
    private boolean done;

    Shrinker(List<Integer> decisions) {
        this.kept = List.copyOf(decisions);
        this.parts = Math.min(2, kept.size());
    }

    /** The next set to try, or {@code null} when done. */
    List<Integer> next() {
        if (done || kept.isEmpty() || attempts >= MAX_ATTEMPTS) {
            return null;
        }
        int size = kept.size();
        int from = part * size / parts;
        int to = (part + 1) * size / parts;
        trying = new ArrayList<>(kept.subList(0, from));
        trying.addAll(kept.subList(to, size));
        return List.copyOf(trying);
    }

    /** The outcome of the set {@link #next()} gave: whether the failure remained. */
    void failed(boolean stillFails) {
        attempts++;
        if (stillFails) {
            kept = List.copyOf(trying);
            parts = Math.max(Math.min(parts - 1, kept.size()), Math.min(2, kept.size()));
            part = 0;
        } else if (++part >= parts) {
            if (parts >= kept.size()) {
                done = true;
            } else {
                parts = Math.min(2 * parts, kept.size());
                part = 0;
            }
        }
    }

    /** The smallest set found so far that fails. */
    List<Integer> smallest() {
        return kept;
    }

    /** How many sets were tried. */
    int attempts() {
        return attempts;
    }
}
