package dev.loopharness.samples.examples;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.java_websocket.WebSocket;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

/** A local WebSocket price server on 127.0.0.1 and a free port: greets each client with the current quote. */
final class PriceServer extends WebSocketServer implements AutoCloseable {

    private final CountDownLatch started = new CountDownLatch(1);
    private final AtomicReference<String> quote;
    private final List<String> opened = new CopyOnWriteArrayList<>();
    private final List<String> closings = new CopyOnWriteArrayList<>();
    private final AtomicInteger closed = new AtomicInteger();
    private final List<Exception> errors = new CopyOnWriteArrayList<>();

    private PriceServer(String quote) {
        super(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        this.quote = new AtomicReference<>(quote);
        setReuseAddr(true);
    }

    /**
     * Starts a server and waits until it listens.
     *
     * @param quote the message each client receives when it connects
     * @return the server; close it
     */
    static PriceServer start(String quote) throws InterruptedException {
        PriceServer server = new PriceServer(quote);
        server.start();
        if (!server.started.await(10, TimeUnit.SECONDS)) {
            server.close();
            throw new IllegalStateException("the price server did not start within 10 s: " + server.errors);
        }
        return server;
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + getPort() + "/prices");
    }

    /** Drops every connection with "going away"; clients that come back are greeted with {@code next}. */
    void dropAll(String next) {
        quote.set(next);
        for (WebSocket client : getConnections()) {
            client.close(CloseFrame.GOING_AWAY, "restarting");
        }
    }

    /** The connections opened so far, by resource path. */
    List<String> opened() {
        return List.copyOf(opened);
    }

    /**
     * The closing handshakes so far, as the server began them: status code, reason and who said goodbye ("by
     * client" or "by server"). (The code that {@code onClose} receives is not used: when the client shuts the
     * socket right after the handshake, this server sometimes sees the end of the stream before it has handled
     * the close frame, and reports 1006.)
     */
    List<String> closings() {
        return List.copyOf(closings);
    }

    /** How many connections have ended. */
    int closed() {
        return closed.get();
    }

    /** The errors the server saw. */
    List<Exception> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void onOpen(WebSocket client, ClientHandshake handshake) {
        opened.add(handshake.getResourceDescriptor());
        client.send(quote.get());
    }

    @Override
    public void onMessage(WebSocket client, String message) {
        errors.add(new IllegalStateException("the price server does not expect messages, but got " + message));
    }

    @Override
    public void onClosing(WebSocket client, int code, String reason, boolean remote) {
        closings.add(code + " " + reason + (remote ? " by client" : " by server"));
    }

    @Override
    public void onClose(WebSocket client, int code, String reason, boolean remote) {
        closed.incrementAndGet();
    }

    @Override
    public void onError(WebSocket client, Exception failure) {
        errors.add(failure);
    }

    /** Stops the server and its threads, waiting up to 10 s. */
    @Override
    public void close() {
        try {
            stop(10_000);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the price server", interrupted);
        }
    }
}
