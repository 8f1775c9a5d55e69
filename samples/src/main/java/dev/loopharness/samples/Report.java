package dev.loopharness.samples;

/**
 * Runs every sample (each reproduction and its fix) and prints what happened.
 *
 * <p>Placeholder until the samples are written.
 */
public final class Report {
    private Report() {}

    /**
     * Prints the report.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println("samples: not yet written");
    }
}
