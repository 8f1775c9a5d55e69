package dev.loopharness.samples.examples;

import java.util.concurrent.CompletionStage;

/**
 * Where a {@link PriceTicker} gets its prices: something it can connect to, and that delivers text messages
 * until the connection drops. The ticker's reconnect logic sees only this interface, so its tests can put a
 * mock here; {@link WebSocketPriceFeed} is the real one.
 */
public interface PriceFeed {

    /**
     * Opens a connection.
     *
     * @param onMessage receives each message, whole, on the ticker's loop thread, one at a time; the feed reads
     *     the next message only once the stage it returned for the last one has completed (back-pressure)
     * @return a stage that completes with the connection once it is open, or fails if it cannot be opened
     */
    CompletionStage<Connection> connect(Receiver onMessage);

    /** Takes the messages of a connection, on the loop's thread. */
    @FunctionalInterface
    interface Receiver {

        /**
         * Takes one message.
         *
         * @param message the message, whole
         * @return a stage that completes once the message is taken in: the feed waits for it before it reads
         *     the next one, so a receiver that falls behind slows the feed down
         */
        CompletionStage<?> receive(String message);
    }

    /** An open connection to a feed. */
    interface Connection {

        /**
         * Completes when the connection ends: normally when the other side closed it, exceptionally when it
         * failed.
         *
         * @return the stage
         */
        CompletionStage<Void> closed();

        /**
         * Starts closing the connection from this side; once the other side has answered, the connection is
         * shut.
         *
         * @return a stage that completes once the other side has answered, or fails if the connection failed
         *     meanwhile
         */
        CompletionStage<Void> close();

        /** Cuts the connection at once; no message is delivered afterwards. Idempotent. */
        void abort();
    }
}
