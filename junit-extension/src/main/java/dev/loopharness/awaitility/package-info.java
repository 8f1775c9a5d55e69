/**
 * Awaitility on the event loop: {@link dev.loopharness.awaitility.LoopAwaitility#await()} keeps Awaitility's DSL
 * ({@code atMost}, {@code pollInterval}, {@code until}, {@code untilAsserted}, aliases, its
 * {@link org.awaitility.core.ConditionTimeoutException}) and waits the way the loop needs: a coroutine waits by
 * suspending, in loop time, so the loop goes on running the work that makes the condition true; another thread
 * waits in real time while the loop evaluates the condition.
 *
 * <p>Awaitility ({@code org.awaitility:awaitility}) is an optional dependency of {@code loopharness-junit}: add
 * it to the test scope to use this package. Nothing else in the library needs it.
 *
 * @since 0.1.0
 */
package dev.loopharness.awaitility;
