package dev.loopharness.samples.reproductions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CoffeeShopTest {

    private static long seconds(long s) {
        return Duration.ofSeconds(s).toNanos();
    }

    @Test
    void oneAfterTheOtherTakesEightSecondsOfLoopTime() {
        CoffeeShop.Order order = CoffeeShop.sequential();

        assertThat(order.loopNanos()).isEqualTo(seconds(8));
        assertThat(order.drinks())
                .containsExactly(
                        new CoffeeShop.Made("Americano", 0, seconds(3)),
                        new CoffeeShop.Made("Latte", seconds(3), seconds(8)));
        assertThat(CoffeeShop.timeline(order, 8)).startsWith("  Americano |###     |", "  Latte     |   #####|");
    }

    @Test
    void gatherTakesAsLongAsTheLongestDrink() {
        CoffeeShop.Order order = CoffeeShop.gathered();

        assertThat(order.loopNanos()).isEqualTo(seconds(5));
        assertThat(order.drinks())
                .containsExactly(
                        new CoffeeShop.Made("Americano", 0, seconds(3)), new CoffeeShop.Made("Latte", 0, seconds(5)));
        assertThat(CoffeeShop.timeline(order, 8)).startsWith("  Americano |###     |", "  Latte     |#####   |");
        assertThat(new CoffeeShop().run().behavedAsDocumented()).isTrue();
    }
}
