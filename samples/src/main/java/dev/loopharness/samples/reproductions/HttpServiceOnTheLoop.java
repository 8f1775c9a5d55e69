package dev.loopharness.samples.reproductions;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.loopharness.Async;
import dev.loopharness.EventLoop;
import dev.loopharness.EventLoops;
import dev.loopharness.junit.LoopTimeoutError;
import dev.loopharness.junit.WithEventLoop;
import dev.loopharness.samples.examples.PriceTicker;
import dev.loopharness.samples.examples.PriceTickerInVirtualTime;
import dev.loopharness.samples.report.Failure;
import dev.loopharness.samples.report.Fixtures;
import dev.loopharness.samples.report.Outcome;
import dev.loopharness.samples.report.Reproduction;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * Reproduction 8: an HTTP service and its client on the loop. The JDK's {@link HttpServer} runs its handlers on
 * the loop ({@code server.setExecutor(loop)}) and {@link HttpClient} delivers its responses there ({@code
 * .executor(loop)}). A coroutine that calls the client's blocking {@code send()} holds the loop, so the handler
 * that would answer it never runs: the test hangs until its timeout interrupts it. Awaiting {@code sendAsync()}
 * suspends the coroutine instead, and several requests run at once with {@code Async.gather}. The sample's second
 * half, a live price ticker over a WebSocket, is {@link PriceTicker}; the report shows its backoff in virtual time
 * ({@link PriceTickerInVirtualTime}).
 */
public final class HttpServiceOnTheLoop implements Reproduction {

    /** The service: prices from memory, and a slow endpoint answered by a loop timer. Handlers never block. */
    static final class PriceService {

        static final Map<String, String> PRICES = Map.of("ACME", "101.50", "GLOBEX", "47.25", "INITECH", "12.00");

        private PriceService() {}

        /**
         * Starts the service on 127.0.0.1, on a free port, with its handlers running on the loop.
         *
         * @param loop the loop
         * @return the server; stop it with {@code server.stop(0)}
         * @throws IOException if it cannot bind
         */
        static HttpServer start(EventLoop loop) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(loop); // each exchange is handled in a callback on the loop
            server.createContext("/price", exchange -> {
                String query = String.valueOf(exchange.getRequestURI().getQuery());
                String symbol = query.startsWith("symbol=") ? query.substring("symbol=".length()) : "";
                String price = PRICES.get(symbol);
                if (price == null) {
                    respond(exchange, 404, "{\"error\": \"unknown symbol " + symbol + "\"}");
                } else {
                    respond(exchange, 200, "{\"symbol\": \"" + symbol + "\", \"price\": " + price + "}");
                }
            });
            server.createContext("/slow", exchange -> {
                // no Thread.sleep here: a loop timer completes the response 100 ms later
                loop.callLater(Duration.ofMillis(100), () -> respond(exchange, 200, "{\"status\": \"done\"}"));
            });
            server.start();
            return server;
        }

        private static void respond(HttpExchange exchange, int status, String body) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            try (exchange) {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            } catch (IOException failed) {
                throw new IllegalStateException("could not answer " + exchange.getRequestURI(), failed);
            }
        }
    }

    /** The client: {@link HttpClient} delivering its responses on the loop. */
    static final class PriceClient {

        private final HttpClient client;
        private final URI base;

        PriceClient(EventLoop loop, HttpServer server) {
            this.client = HttpClient.newBuilder()
                    .executor(loop)
                    .proxy(HttpClient.Builder.NO_PROXY)
                    .build();
            this.base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        HttpRequest request(String path) {
            return HttpRequest.newBuilder(base.resolve(path))
                    .timeout(Duration.ofSeconds(30))
                    .build();
        }

        /** The mistake: a blocking call inside a coroutine holds the loop. */
        String getBlocking(String path) throws IOException, InterruptedException {
            return client.send(request(path), HttpResponse.BodyHandlers.ofString())
                    .body(); // blocks the loop's thread; the handler that would answer cannot run
        }

        /** The fix: the coroutine suspends until the response arrives; the loop runs the handler meanwhile. */
        String get(String path) {
            return Async.await(client.sendAsync(request(path), HttpResponse.BodyHandlers.ofString()))
                    .body();
        }

        /** Three prices at once: the requests are in flight together. */
        List<String> prices(String first, String second, String third) {
            return Async.gather(
                    () -> get("/price?symbol=" + first),
                    () -> get("/price?symbol=" + second),
                    () -> get("/price?symbol=" + third));
        }
    }

    // ---- the failure: a blocking send() on the loop ----------------------------------------------------------

    /** Calls the client's blocking send() from the test's coroutine, under a timeout of 300 ms. */
    @WithEventLoop(timeout = "300ms")
    public static class BlocksOnSend {
        /**
         * Hangs until the harness interrupts it.
         *
         * @param loop the test's loop
         * @throws Exception when interrupted
         */
        @Test
        void fetchesAPrice(EventLoop loop) throws Exception {
            HttpServer server = PriceService.start(loop);
            try {
                String body = new PriceClient(loop, server).getBlocking("/price?symbol=ACME");
                if (!body.contains("101.50")) {
                    throw new AssertionError(body);
                }
            } finally {
                server.stop(0);
            }
        }
    }

    // ---- the fix: Async.await(sendAsync(...)) ----------------------------------------------------------------

    /** The same, awaiting sendAsync(); three prices at once, and the slow endpoint. */
    @WithEventLoop
    public static class AwaitsSendAsync {
        /**
         * Passes.
         *
         * @param loop the test's loop
         * @throws Exception if the server cannot bind
         */
        @Test
        void fetchesPrices(EventLoop loop) throws Exception {
            HttpServer server = PriceService.start(loop);
            try {
                PriceClient client = new PriceClient(loop, server);
                List<String> prices = client.prices("ACME", "GLOBEX", "INITECH");
                if (prices.size() != 3
                        || !prices.get(0).contains("101.50")
                        || !prices.get(1).contains("47.25")
                        || !prices.get(2).contains("12.00")) {
                    throw new AssertionError(prices);
                }
                String slow = client.get("/slow");
                if (!slow.contains("done")) {
                    throw new AssertionError(slow);
                }
            } finally {
                server.stop(0);
            }
        }
    }

    /**
     * Runs the fix on a loop of its own and says what it fetched.
     *
     * @return one line per response
     */
    static List<String> fetchAll() {
        try (EventLoop loop = EventLoops.newEventLoop()) {
            return loop.runUntilComplete(() -> {
                HttpServer server = PriceService.start(loop);
                try {
                    PriceClient client = new PriceClient(loop, server);
                    List<String> lines = new ArrayList<>();
                    List<String> prices = client.prices("ACME", "GLOBEX", "INITECH");
                    lines.add("Async.gather of GET /price?symbol=ACME, GLOBEX, INITECH: " + prices);
                    lines.add("GET /slow, answered by a loop timer: " + client.get("/slow"));
                    return lines;
                } finally {
                    server.stop(0);
                }
            });
        }
    }

    // ---- the run ---------------------------------------------------------------------------------------------

    @Override
    public Outcome run() {
        boolean ok = true;
        List<Failure> failures = new ArrayList<>();
        Map<String, Throwable> blocked = Fixtures.failures(Fixtures.run(BlocksOnSend.class));
        Throwable timeout = blocked.get("fetchesAPrice(EventLoop)");
        if (timeout == null) {
            ok = false;
        } else {
            failures.add(Failure.thrown("test BlocksOnSend.fetchesAPrice(), timeout = \"300ms\"", timeout));
            ok &= timeout instanceof LoopTimeoutError
                    && timeout.getMessage()
                            .startsWith("Test \"BlocksOnSend.fetchesAPrice()\" did not complete within PT0.3S")
                    && timeout.getMessage()
                            .contains("blocked the event loop at " + PriceClient.class.getName() + ".getBlocking(");
        }

        List<String> fixed = new ArrayList<>();
        try {
            List<String> lines = fetchAll();
            fixed.addAll(lines);
            ok &= lines.get(0).contains("101.50") && lines.get(1).contains("done");
        } catch (RuntimeException failed) {
            fixed.add("the fix failed: " + failed);
            ok = false;
        }
        Events events = Fixtures.run(AwaitsSendAsync.class);
        fixed.add("AwaitsSendAsync under @WithEventLoop: " + events.succeeded().count() + " passed, "
                + events.failed().count() + " failed");
        ok &= events.succeeded().count() == 1 && events.failed().count() == 0;

        PriceTickerInVirtualTime.Run ticker = PriceTickerInVirtualTime.run();
        fixed.add(ticker.describe());
        ok &= ticker.attemptMillis().equals(List.of(0L, 1_000L, 3_000L, 7_000L, 15_000L, 23_000L, 26_000L, 28_000L))
                && ticker.connects() == 2;
        return new Outcome(
                "8. An HTTP service and client on the loop, and a live price ticker",
                "A price service on the JDK's HttpServer (127.0.0.1, a free port) runs its handlers on the loop"
                        + " (server.setExecutor(loop)); an HttpClient built with .executor(loop) calls it. A test"
                        + " under @WithEventLoop(timeout = \"300ms\") calls the client's blocking send() from its"
                        + " coroutine: that holds the loop, so the handler that would answer never runs.",
                failures,
                List.of(),
                "Async.await(client.sendAsync(...)) suspends the coroutine, not the loop, and the handler runs"
                        + " meanwhile; Async.gather sends several requests at once. Handlers must not block either:"
                        + " GET /slow completes its response from loop.callLater(...), not after Thread.sleep. The"
                        + " same goes for a WebSocket: the live price ticker (PriceTicker) hands each message to the"
                        + " loop and waits between reconnects with Async.sleep, so its backoff runs in loop time.",
                fixed,
                ok);
    }
}
