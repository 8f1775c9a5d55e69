package dev.loopharness.benchmarks;

import java.util.Locale;

/** Formatting of times and plain numbers. */
final class Units {
    private Units() {}

    static double nanosPer(String unit) {
        String u = unit.substring(0, unit.indexOf('/') < 0 ? unit.length() : unit.indexOf('/'));
        switch (u) {
            case "ns":
                return 1;
            case "us":
                return 1e3;
            case "ms":
                return 1e6;
            case "s":
                return 1e9;
            default:
                throw new IllegalArgumentException("unknown time unit in " + unit);
        }
    }

    static String time(double nanos) {
        if (Double.isNaN(nanos)) {
            return "—";
        }
        if (Math.abs(nanos) < 1_000) {
            return number(nanos) + " ns";
        }
        if (Math.abs(nanos) < 1_000_000) {
            return number(nanos / 1e3) + " µs";
        }
        if (Math.abs(nanos) < 1_000_000_000) {
            return number(nanos / 1e6) + " ms";
        }
        return number(nanos / 1e9) + " s";
    }

    static String number(double x) {
        double a = Math.abs(x);
        if (a > 0 && a < 0.01) {
            // Ratios against a run of seconds (row 8, the quiet period in row 5): two significant digits.
            return String.format(Locale.ROOT, "%.2g", x);
        }
        String pattern = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, pattern, x);
    }
}
