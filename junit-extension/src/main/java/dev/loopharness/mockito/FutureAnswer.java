package dev.loopharness.mockito;

import dev.loopharness.EventLoop;
import dev.loopharness.EventLoops;
import dev.loopharness.Handle;
import dev.loopharness.LoopFuture;
import dev.loopharness.junit.internal.Throwables;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import org.mockito.invocation.InvocationOnMock;
import org.mockito.stubbing.Answer;
import org.mockito.stubbing.ValidableAnswer;

/**
 * An answer that returns a future of the type the mocked method declares and settles it on an event loop as its
 * plan says. If the caller cancels the future first, what the plan scheduled is cancelled too, so no timer is
 * left behind on the loop.
 */
final class FutureAnswer implements Answer<Object>, ValidableAnswer {

    /** How a future is settled; runs on the loop's thread. */
    interface Plan {
        /**
         * Arranges the settling of one future.
         *
         * @return what to cancel if the future is cancelled first, or {@code null}
         */
        Handle arrange(EventLoop loop, Settler settler, InvocationOnMock invocation);
    }

    /** Settles a future of whichever type the method declares; settling a done future does nothing. */
    interface Settler {
        void complete(Object value);

        void fail(Throwable failure);
    }

    private final String name;
    private final EventLoop boundLoop;
    private final Plan plan;

    FutureAnswer(String name, Plan plan) {
        this.name = name;
        this.boundLoop = EventLoops.findRunningLoop().orElse(null);
        this.plan = plan;
    }

    @Override
    public void validateFor(InvocationOnMock invocation) {
        Method method = invocation.getMethod();
        if (!returnsLoopFuture(method) && !returnsCompletableFuture(method)) {
            throw new IllegalArgumentException(MockitoMessages.unsupportedReturnType(name, method));
        }
    }

    @Override
    public Object answer(InvocationOnMock invocation) {
        validateFor(invocation);
        EventLoop loop = loopFor(invocation.getMethod());
        if (returnsLoopFuture(invocation.getMethod())) {
            LoopFuture<Object> future = loop.createFuture();
            onLoop(loop, () -> arrange(loop, invocation, loopSettler(future), future));
            return future;
        }
        CompletableFuture<Object> future = new CompletableFuture<>();
        onLoop(loop, () -> arrange(loop, invocation, completableSettler(future), future));
        return future;
    }

    @Override
    public String toString() {
        return "LoopAnswers." + name;
    }

    private void arrange(EventLoop loop, InvocationOnMock invocation, Settler settler, Object future) {
        Handle scheduled = plan.arrange(loop, settler, invocation);
        if (scheduled == null) {
            return;
        }
        if (future instanceof LoopFuture<?>) {
            ((LoopFuture<?>) future).addDoneCallback(done -> cancelIfCancelled(done.isCancelled(), scheduled));
        } else {
            CompletableFuture<?> completable = (CompletableFuture<?>) future;
            completable.whenComplete(
                    (value, failure) -> onLoop(loop, () -> cancelIfCancelled(completable.isCancelled(), scheduled)));
        }
    }

    private static void cancelIfCancelled(boolean cancelled, Handle scheduled) {
        if (cancelled) {
            scheduled.cancel();
        }
    }

    private EventLoop loopFor(Method method) {
        EventLoop running = EventLoops.findRunningLoop().orElse(null);
        if (running != null) {
            return running;
        }
        if (boundLoop != null) {
            return boundLoop;
        }
        throw new IllegalStateException(MockitoMessages.noLoop(name, method));
    }

    /** Runs now if this thread runs the loop, else hands it to the loop. */
    static void onLoop(EventLoop loop, Runnable action) {
        if (EventLoops.findRunningLoop().orElse(null) == loop) {
            action.run();
        } else {
            loop.execute(action);
        }
    }

    private static boolean returnsLoopFuture(Method method) {
        return method.getReturnType().isAssignableFrom(LoopFuture.class);
    }

    private static boolean returnsCompletableFuture(Method method) {
        return method.getReturnType().isAssignableFrom(CompletableFuture.class);
    }

    private static Settler loopSettler(LoopFuture<Object> future) {
        return new Settler() {
            @Override
            public void complete(Object value) {
                if (!future.isDone()) {
                    future.setResult(value);
                }
            }

            @Override
            public void fail(Throwable failure) {
                if (!future.isDone()) {
                    future.setException(failure);
                }
            }
        };
    }

    private static Settler completableSettler(CompletableFuture<Object> future) {
        return new Settler() {
            @Override
            public void complete(Object value) {
                future.complete(value);
            }

            @Override
            public void fail(Throwable failure) {
                Throwables.rethrowIfFatal(failure);
                future.completeExceptionally(failure);
            }
        };
    }
}
