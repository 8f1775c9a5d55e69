package dev.loopharness;

/**
 * Thrown when an item is taken from an empty queue without waiting (getNowait): {@code asyncio.QueueEmpty}. The message names the queue and its state.
 *
 * @since 0.1.0
 * @see LoopQueue
 */
public class QueueEmptyException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the queue
     */
    public QueueEmptyException(String message) {
        super(message);
    }
}
