package dev.loopharness.samples.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.EventLoops;
import dev.loopharness.awaitility.LoopAwaitility;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The ticker over a real WebSocket, against a local server on 127.0.0.1, in real time. */
class PriceTickerOverWebSocketTest {

    private static final PriceTicker.Backoff QUICK =
            new PriceTicker.Backoff(Duration.ofMillis(50), Duration.ofMillis(400));
    private static final Duration GENEROUS = Duration.ofSeconds(20);

    /** Inside a coroutine: suspends, polling every 20 ms of loop time, until the condition holds (20 s at most). */
    private static void until(Callable<Boolean> condition) {
        LoopAwaitility.await()
                .atMost(GENEROUS)
                .pollInterval(Duration.ofMillis(20))
                .until(condition);
    }

    @Test
    void receivesPricesAndReconnectsAfterTheServerDropsTheConnection() throws Exception {
        try (PriceServer server = PriceServer.start("ACME 101.50");
                EventLoop loop = EventLoops.newEventLoop();
                WebSocketPriceFeed feed = new WebSocketPriceFeed(loop, server.uri())) {
            loop.runUntilComplete(() -> {
                try (PriceTicker ticker = PriceTicker.start(loop, feed, QUICK)) {
                    until(() -> ticker.latest("ACME").isPresent());
                    assertThat(ticker.latest("ACME")).contains(new BigDecimal("101.50"));

                    server.dropAll("ACME 102.25");
                    until(() -> ticker.connects() == 2
                            && ticker.log().stream().anyMatch(line -> line.endsWith("] published ACME 102.25")));

                    assertThat(ticker.latest("ACME")).contains(new BigDecimal("102.25"));
                    assertThat(ticker.messages()).isEqualTo(2);
                    // request ids travel with the quotes through the consumer's tasks into the log lines
                    assertThat(ticker.log()).first().isEqualTo("[conn-1/1] published ACME 101.50");
                    assertThat(ticker.log().get(1)).matches("\\[conn-\\d+/1] published ACME 102.25");
                    assertThat(ticker.lastFailure()).isEmpty(); // the server closed it cleanly
                }
                return null;
            });
            await().atMost(GENEROUS).until(() -> server.closed() == 2);
            assertThat(server.opened()).containsExactly("/prices", "/prices");
            assertThat(server.closings()).containsExactly("1001 restarting by server", "1000 ticker closed by client");
            assertThat(server.errors()).isEmpty();
        }
    }

    @Test
    void aTickerOnALoopOfItsOwnThreadIsSeenByAwaitilityAndLeavesNoThreadBehind() throws Exception {
        try (PriceServer server = PriceServer.start("GLOBEX 47.25")) {
            Set<Thread> before = Thread.getAllStackTraces().keySet();
            AtomicReference<PriceTicker> started = new AtomicReference<>();
            CompletableFuture<Void> stop = new CompletableFuture<>();
            Thread loopThread = new Thread(
                    () -> {
                        try (EventLoop loop = EventLoops.newEventLoop();
                                WebSocketPriceFeed feed = new WebSocketPriceFeed(loop, server.uri())) {
                            loop.runUntilComplete(() -> {
                                try (PriceTicker ticker = PriceTicker.start(loop, feed, QUICK)) {
                                    started.set(ticker);
                                    return Async.await(stop);
                                }
                            });
                        }
                    },
                    "ticker-loop");
            loopThread.start();

            await().atMost(GENEROUS)
                    .until(() -> started.get() != null
                            && started.get().latest("GLOBEX").isPresent());
            assertThat(started.get().latest("GLOBEX")).contains(new BigDecimal("47.25"));

            stop.complete(null);
            loopThread.join(GENEROUS.toMillis());
            assertThat(loopThread.isAlive()).as("the loop's thread ended").isFalse();
            await().atMost(GENEROUS).until(() -> server.closed() == 1);
            assertThat(server.closings()).containsExactly("1000 ticker closed by client");
            // JDK 17 cannot close an HttpClient: its selector thread ends once the client is collected
            started.set(null); // the ticker holds the feed, which holds the client
            await().atMost(GENEROUS)
                    .pollInterval(Duration.ofMillis(200))
                    .pollInSameThread()
                    .until(
                            () -> {
                                System.gc();
                                return startedSince(before);
                            },
                            Set::isEmpty);
        }
    }

    /** Threads started since, apart from the JDK's shared pools (the common pool, virtual threads' carriers). */
    private static Set<String> startedSince(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.isAlive())
                .filter(thread -> !thread.getName().startsWith("ForkJoinPool")
                        && !thread.getName().equals("VirtualThread-unblocker"))
                .map(Thread::getName)
                .collect(Collectors.toSet());
    }
}
