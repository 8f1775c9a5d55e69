package dev.loopharness.samples.examples;

import dev.loopharness.EventLoop;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A {@link PriceFeed} over a WebSocket, on the JDK's {@link HttpClient}. Each text message is handed to the loop
 * with {@code loop.execute}, and the next one is requested from the socket only once the receiver's stage for it
 * has completed: a receiver that falls behind (a full queue) slows the server down instead of queueing messages
 * without bound.
 *
 * <p>The client's own work runs on one thread that the feed owns; {@link #close()} shuts it down and, on JDK 21
 * and newer, closes the client. (On JDK 17 an {@code HttpClient} cannot be closed: its selector thread ends a
 * few seconds after the client is no longer referenced.)
 */
public final class WebSocketPriceFeed implements PriceFeed, AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final EventLoop loop;
    private final URI uri;
    private final ExecutorService clientThread;
    private final HttpClient client;

    /**
     * A feed of the server at {@code uri}; nothing connects until {@link #connect(Consumer)}.
     *
     * @param loop the loop on which messages are delivered; not {@code null}
     * @param uri the server, {@code ws://host:port/path}; not {@code null}
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if {@code uri}'s scheme is not {@code ws} or {@code wss}
     */
    public WebSocketPriceFeed(EventLoop loop, URI uri) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.uri = Objects.requireNonNull(uri, "uri");
        if (!"ws".equals(uri.getScheme()) && !"wss".equals(uri.getScheme())) {
            throw new IllegalArgumentException("uri must be a ws:// or wss:// address, but was " + uri);
        }
        this.clientThread = Executors.newSingleThreadExecutor(work -> new Thread(work, "price-feed-http"));
        this.client = HttpClient.newBuilder()
                .executor(clientThread)
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    @Override
    public CompletionStage<Connection> connect(Receiver onMessage) {
        Objects.requireNonNull(onMessage, "onMessage");
        Listener listener = new Listener(loop, onMessage);
        return client.newWebSocketBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .buildAsync(uri, listener)
                .thenApply(socket -> new SocketConnection(socket, listener.closed));
    }

    /**
     * Closes the client where the JDK can (21 and newer) and stops the feed's thread, waiting up to ten seconds
     * for it. Close the ticker first: connections still open are cut.
     *
     * @throws IllegalStateException if the thread does not stop in time, or the wait is interrupted
     */
    @Override
    public void close() {
        try {
            if (client instanceof AutoCloseable closeable) { // JDK 21+: ends the client's selector thread
                closeable.close();
            }
        } catch (Exception failed) {
            throw new IllegalStateException("could not close the HTTP client of " + this, failed);
        } finally {
            clientThread.shutdownNow();
        }
        try {
            if (!clientThread.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the thread of " + this + " did not stop within 10 s");
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the thread of " + this, interrupted);
        }
    }

    @Override
    public String toString() {
        return "<WebSocketPriceFeed " + uri + ">";
    }

    /** An open socket: closing says goodbye and ends when the server answers (the client then shuts it). */
    private record SocketConnection(WebSocket socket, CompletableFuture<Void> ended) implements Connection {

        @Override
        public CompletionStage<Void> closed() {
            return ended.copy(); // a waiter that is cancelled cancels its copy, not the connection's own future
        }

        @Override
        public CompletionStage<Void> close() {
            return socket.sendClose(WebSocket.NORMAL_CLOSURE, "ticker closed").thenCompose(sent -> ended);
        }

        @Override
        public void abort() {
            socket.abort();
        }
    }

    /** Called by the client on its thread, one call at a time; hands each whole message to the loop. */
    private static final class Listener implements WebSocket.Listener {

        private final EventLoop loop;
        private final Receiver onMessage;
        private final StringBuilder parts = new StringBuilder();
        final CompletableFuture<Void> closed = new CompletableFuture<>();

        Listener(EventLoop loop, Receiver onMessage) {
            this.loop = loop;
            this.onMessage = onMessage;
        }

        @Override
        public void onOpen(WebSocket socket) {
            socket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            parts.append(data); // copied: the client may reuse data as soon as this returns
            if (!last) {
                socket.request(1);
                return null;
            }
            String message = parts.toString();
            parts.setLength(0);
            CompletableFuture<Void> handled = new CompletableFuture<>();
            loop.execute(() -> {
                CompletionStage<?> taken = CompletableFuture.completedFuture(null);
                try {
                    taken = onMessage.receive(message);
                } finally {
                    taken.whenComplete((ignored, failure) -> {
                        handled.complete(null);
                        socket.request(1); // only now: the receiver has caught up
                    });
                }
            });
            return handled;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closed.complete(null);
            return null; // the client answers the close at once
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
