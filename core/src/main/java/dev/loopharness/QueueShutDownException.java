package dev.loopharness;

/**
 * Thrown when an item is put into or taken from a queue that was shut down: {@code asyncio.QueueShutDown}
 * (Python 3.13). The message names the queue and its state.
 *
 * @since 0.1.0
 * @see LoopQueue
 */
public class QueueShutDownException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the queue
     */
    public QueueShutDownException(String message) {
        super(message);
    }
}
