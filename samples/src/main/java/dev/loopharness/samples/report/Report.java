package dev.loopharness.samples.report;

import dev.loopharness.samples.reproductions.BestPrice;
import dev.loopharness.samples.reproductions.BlockingTheLoop;
import dev.loopharness.samples.reproductions.ClosedDefaultLoop;
import dev.loopharness.samples.reproductions.CoffeeShop;
import dev.loopharness.samples.reproductions.HangingTest;
import dev.loopharness.samples.reproductions.HttpServiceOnTheLoop;
import dev.loopharness.samples.reproductions.LeakedTaskOnASharedLoop;
import dev.loopharness.samples.reproductions.NeverAwaited;
import dev.loopharness.samples.reproductions.RacyPriceCache;
import dev.loopharness.samples.reproductions.SharedExecutorShutDown;
import dev.loopharness.samples.reproductions.SuiteSharingTheDefaultLoop;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Runs every reproduction (the failure as it really happens, and its fix) and prints what happened. Exits with 0
 * when every reproduction behaved as documented, 1 otherwise.
 */
public final class Report {

    /** Lines are wrapped to this many columns. */
    static final int WIDTH = 100;

    private static final String SAMPLES = Report.class.getPackageName() + ".";

    private Report() {}

    /**
     * The reproductions, in the order the report prints them.
     *
     * @return a supplier of each
     */
    static List<Supplier<Reproduction>> reproductions() {
        return List.of(
                ClosedDefaultLoop::new,
                SuiteSharingTheDefaultLoop::new,
                NeverAwaited::new,
                CoffeeShop::new,
                LeakedTaskOnASharedLoop::new,
                BlockingTheLoop::new,
                HangingTest::new,
                HttpServiceOnTheLoop::new,
                BestPrice::new,
                SharedExecutorShutDown::new,
                RacyPriceCache::new);
    }

    /**
     * Prints the report.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        boolean ok = print(System.out);
        System.out.flush();
        System.exit(ok ? 0 : 1);
    }

    /**
     * Runs every reproduction and prints the report.
     *
     * @param out where to print
     * @return whether every reproduction behaved as documented
     */
    static boolean print(PrintStream out) {
        List<Outcome> outcomes = new ArrayList<>();
        for (Supplier<Reproduction> reproduction : reproductions()) {
            List<String> logs = new ArrayList<>();
            Outcome outcome = capturingLogs(logs, () -> runOne(reproduction));
            outcomes.add(outcome);
            out.print(render(outcome));
            out.print(renderLogs(logs));
            out.flush();
        }
        long good = outcomes.stream().filter(Outcome::behavedAsDocumented).count();
        out.println("=".repeat(WIDTH));
        out.println(good + " of " + outcomes.size() + " reproductions behaved as documented.");
        return good == outcomes.size();
    }

    private static Outcome runOne(Supplier<Reproduction> reproduction) {
        try {
            return reproduction.get().run();
        } catch (RuntimeException | Error unexpected) {
            return new Outcome(
                    reproduction.get().getClass().getSimpleName(),
                    "The reproduction itself failed unexpectedly.",
                    List.of(Failure.thrown("the reproduction", unexpected)),
                    List.of(),
                    "none",
                    List.of(),
                    false);
        }
    }

    /**
     * Runs something while what the library logs (its warnings about leaks and slow callbacks) is collected
     * instead of printed, so that the report can show it in its own width, after the reproduction.
     *
     * @param <T> the result type
     * @param logs receives each record as "LEVEL: message"
     * @param body what to run
     * @return its result
     */
    static <T> T capturingLogs(List<String> logs, Supplier<T> body) {
        Logger library = Logger.getLogger("dev.loopharness");
        Handler collector = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logs.add(record.getLevel().getName() + ": " + new SimpleFormatter().formatMessage(record));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        boolean parents = library.getUseParentHandlers();
        library.addHandler(collector);
        library.setUseParentHandlers(false);
        try {
            return body.get();
        } finally {
            library.setUseParentHandlers(parents);
            library.removeHandler(collector);
        }
    }

    /**
     * Renders collected log records, wrapped; nothing when there are none.
     *
     * @param logs the records
     * @return the text
     */
    static String renderLogs(List<String> logs) {
        if (logs.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("Logged meanwhile by the library:\n");
        for (String log : logs) {
            wrap(text, "  ", log);
        }
        return text.append('\n').toString();
    }

    /**
     * Renders one outcome.
     *
     * @param outcome the outcome
     * @return the text, lines wrapped to {@link #WIDTH} columns
     */
    public static String render(Outcome outcome) {
        StringBuilder text = new StringBuilder();
        text.append("=".repeat(WIDTH)).append('\n');
        text.append(outcome.title()).append('\n');
        text.append("=".repeat(WIDTH)).append('\n');
        wrap(text, "", outcome.whatItDoes());
        for (Failure failure : outcome.failures()) {
            text.append('\n');
            wrap(text, "", "The failure, " + failure.where() + ":");
            String[] message = failure.message().split("\n", 2);
            wrap(text, "  ", failure.type() + ": " + message[0]);
            if (message.length > 1) {
                wrap(text, "    ", message[1]);
            }
            for (String frame : failure.frames()) {
                wrap(text, "      ", "at " + frame);
            }
            callerInSamples(failure).ifPresent(frame -> wrap(text, "      ", "... called from " + frame));
        }
        if (!outcome.details().isEmpty()) {
            text.append('\n');
            for (String line : outcome.details()) {
                text.append(line).append('\n');
            }
        }
        text.append('\n');
        wrap(text, "", "The fix: " + outcome.fix());
        for (String line : outcome.fixResult()) {
            if (line.startsWith(" ")) {
                text.append("  ").append(line).append('\n'); // drawn, not wrapped
            } else {
                wrap(text, "  ", "-> " + line);
            }
        }
        text.append('\n');
        text.append("Behaved as documented: ")
                .append(outcome.behavedAsDocumented() ? "yes" : "NO")
                .append("\n\n");
        return text.toString();
    }

    /**
     * The first frame of the samples' own code, when the top frames are all the library's.
     *
     * @param failure the failure
     * @return the frame, or empty if a top frame is the samples' own or there is no exception
     */
    static Optional<String> callerInSamples(Failure failure) {
        if (failure.exception() == null || failure.frames().stream().anyMatch(f -> f.startsWith(SAMPLES))) {
            return Optional.empty();
        }
        return Arrays.stream(failure.exception().getStackTrace())
                .map(StackTraceElement::toString)
                .filter(f -> f.startsWith(SAMPLES))
                .findFirst();
    }

    /**
     * Appends text wrapped at spaces to {@link #WIDTH} columns; each line of the text keeps its own leading
     * spaces, and continuation lines are indented by two more.
     *
     * @param out where to append
     * @param indent the indent of every line
     * @param text the text, possibly of several lines
     */
    static void wrap(StringBuilder out, String indent, String text) {
        for (String line : text.split("\n", -1)) {
            int lead = 0;
            while (lead < line.length() && line.charAt(lead) == ' ') {
                lead++;
            }
            String first = indent + line.substring(0, lead);
            String next = first + "  ";
            String prefix = first;
            String rest = line.substring(lead);
            while (prefix.length() + rest.length() > WIDTH) {
                int room = WIDTH - prefix.length();
                int cut = rest.lastIndexOf(' ', room);
                boolean atSpace = cut > 0;
                if (!atSpace) {
                    cut = breakInWord(rest, room);
                }
                out.append(prefix).append(rest, 0, cut).append('\n');
                rest = rest.substring(atSpace ? cut + 1 : cut);
                prefix = next;
            }
            out.append(prefix).append(rest).append('\n');
        }
    }

    /** Where to break a word longer than the room (a stack frame, a class name): after its last '.', '$' or '('. */
    private static int breakInWord(String word, int room) {
        int limit = Math.max(1, room);
        for (int i = Math.min(limit, word.length()) - 1; i > limit / 2; i--) {
            char c = word.charAt(i);
            if (c == '.' || c == '$' || c == '(') {
                return i + 1;
            }
        }
        return limit;
    }
}
