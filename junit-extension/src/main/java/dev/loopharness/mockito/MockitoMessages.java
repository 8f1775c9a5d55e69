package dev.loopharness.mockito;

import java.lang.reflect.Method;
import java.time.Duration;

/** Every message of the Mockito bridge, each naming what happened and what to do. */
final class MockitoMessages {

    private MockitoMessages() {}

    static String unsupportedReturnType(String answer, Method method) {
        return "LoopAnswers." + answer + " answers methods that return a CompletableFuture, CompletionStage, Future"
                + " or LoopFuture, but " + method.getDeclaringClass().getSimpleName() + "." + method.getName()
                + "() returns " + method.getReturnType().getName() + ". Stub it with thenReturn(...) or"
                + " thenAnswer(...) instead.";
    }

    static String noLoop(String answer, Method method) {
        return "LoopAnswers." + answer + " cannot answer "
                + method.getDeclaringClass().getSimpleName() + "."
                + method.getName() + "(): it was called on thread \""
                + Thread.currentThread().getName()
                + "\", which runs no event loop, and the answer was not created on one either. Stub the mock from"
                + " a coroutine or a callback (a test body under @WithEventLoop, say), so that the answer knows"
                + " which loop completes its futures.";
    }

    static String verifyOutsideCoroutine() {
        return "LoopMockito.timeout() verifies in loop time by suspending the current coroutine, but thread \""
                + Thread.currentThread().getName() + "\" runs no coroutine. Verify from a coroutine (a test body"
                + " under @WithEventLoop), or use Mockito.timeout() on a thread outside the loop.";
    }

    static String negative(String name, Duration value) {
        return name + " must be zero or positive: got " + value;
    }
}
