package dev.loopharness;

import java.util.Set;

/**
 * What {@link Async#wait} returns: the futures that are done and those still pending, each set in the order the
 * futures were given.
 *
 * @param <T> the type of the futures' results
 * @since 0.1.0
 */
public interface WaitResult<T> {

    /**
     * The futures that are done.
     *
     * @return an unmodifiable set, in argument order
     * @since 0.1.0
     */
    Set<LoopFuture<T>> done();

    /**
     * The futures still pending.
     *
     * @return an unmodifiable set, in argument order
     * @since 0.1.0
     */
    Set<LoopFuture<T>> pending();
}
