package dev.loopharness.mockito;

import dev.loopharness.junit.internal.Arguments;
import dev.loopharness.junit.internal.Throwables;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.mockito.stubbing.Answer;

/**
 * Mockito answers for asynchronous collaborators, bound to the event loop: each returns a new future of the type
 * the mocked method declares ({@code CompletableFuture}, {@code CompletionStage}, {@code Future} or {@code
 * LoopFuture}) and settles it on the loop's thread, at a time of the loop's clock. Use them with {@code
 * when(...).thenAnswer(...)} or {@code doAnswer(...)}:
 *
 * <pre>{@code
 * when(feed.price("ACME")).thenAnswer(LoopAnswers.completeAfter(Duration.ofSeconds(2), 101.5));
 * }</pre>
 *
 * <p>On a virtual clock a delay of seconds takes no real time. The loop is the one running on the thread that
 * calls the mock (its callbacks and coroutines); a mock called from another thread uses the loop the answer was
 * created on (the test body's loop under {@code @WithEventLoop}). A method whose return type no answer can give
 * is refused when it is stubbed, with an {@link IllegalArgumentException}. If the caller cancels the future
 * before it is settled, the answer's pending timer is cancelled with it.
 *
 * @since 0.1.0
 */
public final class LoopAnswers {

    private LoopAnswers() {}

    /**
     * Completes the returned future with a value after a delay of loop time.
     *
     * @param delay the delay; zero or positive, not {@code null}
     * @param value the value; may be {@code null}
     * @return the answer
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public static Answer<Object> completeAfter(Duration delay, Object value) {
        checkDelay(delay);
        return new FutureAnswer(
                "completeAfter(" + delay + ", " + value + ")",
                (loop, settler, invocation) -> loop.callLater(delay, () -> settler.complete(value)));
    }

    /**
     * Completes the returned future after a delay of loop time with the value another answer computes from the
     * invocation, on the loop's thread, when the delay is over; if that answer throws, the future fails with what
     * it threw.
     *
     * @param delay the delay; zero or positive, not {@code null}
     * @param value computes the value, e.g. {@code invocation -> prices.get(invocation.getArgument(0))}; not
     *     {@code null}
     * @return the answer
     */
    public static Answer<Object> answerAfter(Duration delay, Answer<?> value) {
        checkDelay(delay);
        Arguments.notNull(value, "value");
        return new FutureAnswer(
                "answerAfter(" + delay + ", ...)",
                (loop, settler, invocation) -> loop.callLater(delay, () -> {
                    try {
                        settler.complete(value.answer(invocation));
                    } catch (Throwable failure) {
                        Throwables.rethrowIfFatal(failure);
                        settler.fail(failure);
                    }
                }));
    }

    /**
     * Fails the returned future with an exception after a delay of loop time.
     *
     * @param delay the delay; zero or positive, not {@code null}
     * @param failure the exception, the same instance for every call; not {@code null}
     * @return the answer
     */
    public static Answer<Object> failAfter(Duration delay, Throwable failure) {
        checkDelay(delay);
        Arguments.notNull(failure, "failure");
        return new FutureAnswer(
                "failAfter(" + delay + ", " + failure + ")",
                (loop, settler, invocation) -> loop.callLater(delay, () -> settler.fail(failure)));
    }

    /**
     * Returns a future that never completes: a server that never answers. Pair it with a timeout in the code under
     * test ({@code Async.waitFor}) or in the test.
     *
     * @return the answer
     */
    public static Answer<Object> neverComplete() {
        return new FutureAnswer("neverComplete()", (loop, settler, invocation) -> null);
    }

    /**
     * Settles the returned future, on the loop, as the given stage settles: with its value, or with its exception
     * (unwrapped from a {@link CompletionException}). The test holds the stage (a {@code loop.createFuture()}, say)
     * and completes it when it wants the collaborator to answer.
     *
     * @param control the stage that decides; not {@code null}
     * @return the answer
     */
    public static Answer<Object> completeWhen(CompletionStage<?> control) {
        Arguments.notNull(control, "control");
        return new FutureAnswer("completeWhen(" + control + ")", (loop, settler, invocation) -> {
            control.whenComplete((value, failure) -> FutureAnswer.onLoop(loop, () -> {
                if (failure == null) {
                    settler.complete(value);
                } else {
                    settler.fail(unwrap(failure));
                }
            }));
            return null;
        });
    }

    private static Throwable unwrap(Throwable failure) {
        boolean wrapped = failure instanceof CompletionException || failure instanceof ExecutionException;
        return wrapped && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static void checkDelay(Duration delay) {
        Arguments.notNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException(MockitoMessages.negative("delay", delay));
        }
    }
}
