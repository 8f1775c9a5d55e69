package dev.loopharness.samples.report;

import java.util.List;

/**
 * What one reproduction did: the failure as it really happens, and the fix with its result.
 *
 * @param title the reproduction's title
 * @param whatItDoes one or two sentences on what the code does
 * @param failures the failures as thrown (or as reported to the exception handler), in order
 * @param details further lines to print after the failures (a timeline, say); may be empty
 * @param fix what the fix does
 * @param fixResult what the fix produced, one line each
 * @param behavedAsDocumented whether the failure and the fix both looked as the documentation says
 */
public record Outcome(
        String title,
        String whatItDoes,
        List<Failure> failures,
        List<String> details,
        String fix,
        List<String> fixResult,
        boolean behavedAsDocumented) {

    /** Copies the lists. */
    public Outcome {
        failures = List.copyOf(failures);
        details = List.copyOf(details);
        fixResult = List.copyOf(fixResult);
    }

    /**
     * The first failure.
     *
     * @return the failure
     * @throws IllegalStateException if there is none
     */
    public Failure failure() {
        if (failures.isEmpty()) {
            throw new IllegalStateException("no failure in " + title);
        }
        return failures.get(0);
    }
}
