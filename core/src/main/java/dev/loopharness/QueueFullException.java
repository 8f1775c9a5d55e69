package dev.loopharness;

/**
 * Thrown when an item is put into a full queue without waiting (putNowait): {@code asyncio.QueueFull}. The message names the queue and its state.
 *
 * @since 0.1.0
 * @see LoopQueue
 */
public class QueueFullException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the queue
     */
    public QueueFullException(String message) {
        super(message);
    }
}
