package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Ordinary JDK code run on the loop: an HTTP server and client, and a cache that reads a java.time.Clock. */
class JdkInteropTest {

    @Test
    void anHttpClientOnTheLoopTalksToAServerWhoseHandlerRunsOnTheLoop() throws IOException {
        List<Boolean> handlerOnTheLoop = new CopyOnWriteArrayList<>();
        try (EventLoop loop = EventLoops.newEventLoop()) {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/hello", exchange -> {
                handlerOnTheLoop.add(EventLoops.getRunningLoop() == loop);
                byte[] body = ("hello " + exchange.getRequestURI().getQuery()).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.setExecutor(loop);
            server.start();
            try {
                HttpClient client = HttpClient.newBuilder().executor(loop).build();
                URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hello?name=loop");
                List<String> bodies = loop.runUntilComplete(() ->
                        Async.gather(() -> fetch(client, uri), () -> fetch(client, uri), () -> fetch(client, uri)));
                assertThat(bodies).containsExactly("hello name=loop", "hello name=loop", "hello name=loop");
            } finally {
                server.stop(0);
            }
        }
        assertThat(handlerOnTheLoop).containsExactly(true, true, true);
    }

    private static String fetch(HttpClient client, URI uri) {
        HttpResponse<String> response = Async.await(
                client.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** A cache whose entries expire after a time to live, read from whatever clock it is given. */
    static final class ExpiringCache {
        private final Clock clock;
        private final Duration timeToLive;
        private final Map<String, Instant> written = new HashMap<>();
        private final Map<String, String> values = new HashMap<>();

        ExpiringCache(Clock clock, Duration timeToLive) {
            this.clock = clock;
            this.timeToLive = timeToLive;
        }

        void put(String key, String value) {
            values.put(key, value);
            written.put(key, clock.instant());
        }

        String get(String key) {
            Instant at = written.get(key);
            if (at == null || !clock.instant().isBefore(at.plus(timeToLive))) {
                values.remove(key);
                written.remove(key);
                return null;
            }
            return values.get(key);
        }
    }

    @Test
    void aClockDrivenCacheExpiresInVirtualTime() {
        VirtualClock clock = new VirtualClock();
        try (EventLoop loop = EventLoops.newEventLoop(clock)) {
            List<String> seen = loop.runUntilComplete(() -> {
                ExpiringCache cache = new ExpiringCache(Async.loop().asClock(), Duration.ofMinutes(10));
                cache.put("quote", "ACME 42");
                String fresh = cache.get("quote");
                Async.sleep(Duration.ofMinutes(9).plusSeconds(59));
                String almost = cache.get("quote");
                Async.sleep(Duration.ofSeconds(1));
                String expired = cache.get("quote");
                return java.util.Arrays.asList(fresh, almost, expired);
            });
            assertThat(seen).containsExactly("ACME 42", "ACME 42", null);
            assertThat(loop.asClock().instant()).isEqualTo(VirtualClock.DEFAULT_START.plus(Duration.ofMinutes(10)));
        }
    }
}
