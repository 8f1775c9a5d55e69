package dev.loopharness.samples.reproductions;

import dev.loopharness.Async;
import dev.loopharness.EventLoops;
import dev.loopharness.VirtualClock;
import dev.loopharness.samples.report.Outcome;
import dev.loopharness.samples.report.Reproduction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reproduction 4: the coffee shop. An Americano takes 3 s and a Latte 5 s. Made one after the other they take
 * 8 s; made concurrently with {@code Async.gather}, 5 s. Both run in virtual time, so neither takes real seconds.
 */
public final class CoffeeShop implements Reproduction {

    /**
     * A drink made between two points of loop time.
     *
     * @param drink its name
     * @param startNanos when the barista began, in loop nanoseconds since the order
     * @param endNanos when it was served
     */
    public record Made(String drink, long startNanos, long endNanos) {}

    /**
     * Orders made, and how long the order took.
     *
     * @param drinks the drinks, in order
     * @param loopNanos the loop time the order took
     * @param realMillis the real time it took, in milliseconds
     */
    public record Order(List<Made> drinks, long loopNanos, long realMillis) {}

    static Made brew(String drink, Duration time, long orderedAt) {
        long start = Async.loop().time() - orderedAt;
        Async.sleep(time); // suspends this coroutine, not the loop
        return new Made(drink, start, Async.loop().time() - orderedAt);
    }

    /**
     * One after the other: the Latte waits for the Americano.
     *
     * @return the order
     */
    static Order sequential() {
        long real = System.nanoTime();
        List<Made> drinks = EventLoops.run(new VirtualClock(), () -> {
            long at = Async.loop().time();
            List<Made> made = new ArrayList<>();
            made.add(brew("Americano", Duration.ofSeconds(3), at));
            made.add(brew("Latte", Duration.ofSeconds(5), at));
            return made;
        });
        return order(drinks, real);
    }

    /**
     * Both at once with {@code Async.gather}.
     *
     * @return the order
     */
    static Order gathered() {
        long real = System.nanoTime();
        List<Made> drinks = EventLoops.run(new VirtualClock(), () -> {
            long at = Async.loop().time();
            return Async.gather(
                    () -> brew("Americano", Duration.ofSeconds(3), at), () -> brew("Latte", Duration.ofSeconds(5), at));
        });
        return order(drinks, real);
    }

    private static Order order(List<Made> drinks, long realStart) {
        long end = drinks.stream().mapToLong(Made::endNanos).max().orElse(0);
        return new Order(drinks, end, (System.nanoTime() - realStart) / 1_000_000);
    }

    /**
     * Draws an order as rows of '#', one per second a drink was being made.
     *
     * @param order the order
     * @param columns how many seconds the rows span
     * @return the lines
     */
    static List<String> timeline(Order order, int columns) {
        List<String> lines = new ArrayList<>();
        for (Made made : order.drinks()) {
            StringBuilder row = new StringBuilder(String.format("  %-10s|", made.drink()));
            for (int second = 0; second < columns; second++) {
                long at = Duration.ofSeconds(second).toNanos();
                row.append(at >= made.startNanos() && at < made.endNanos() ? '#' : ' ');
            }
            lines.add(row.append('|').toString());
        }
        StringBuilder axis = new StringBuilder("  " + " ".repeat(10) + " ");
        for (int second = 0; second < columns; second++) {
            axis.append(second % 10);
        }
        lines.add(axis.append("  seconds of loop time").toString());
        return lines;
    }

    static long seconds(long nanos) {
        return Duration.ofNanos(nanos).toSeconds();
    }

    @Override
    public Outcome run() {
        Order slow = sequential();
        Order fast = gathered();
        List<String> details = new ArrayList<>();
        details.add("One after the other: " + seconds(slow.loopNanos()) + " s of loop time (" + slow.realMillis()
                + " ms of real time)");
        details.addAll(timeline(slow, 8));
        List<String> fixed = new ArrayList<>();
        fixed.add("Async.gather: " + seconds(fast.loopNanos()) + " s of loop time (" + fast.realMillis()
                + " ms of real time)");
        fixed.addAll(timeline(fast, 8));
        boolean ok = slow.loopNanos() == Duration.ofSeconds(8).toNanos()
                && fast.loopNanos() == Duration.ofSeconds(5).toNanos()
                && fast.drinks().get(0).drink().equals("Americano")
                && fast.drinks().get(1).startNanos() == 0;
        return new Outcome(
                "4. The coffee shop: sequential versus Async.gather",
                "An Americano takes 3 s and a Latte 5 s (Async.sleep, on a VirtualClock). Brewed one after the"
                        + " other in one coroutine, the Latte waits for the Americano.",
                List.of(),
                details,
                "Async.gather(() -> brew(Americano), () -> brew(Latte)) runs both as tasks at once: the order takes"
                        + " as long as the longest drink.",
                fixed,
                ok);
    }
}
