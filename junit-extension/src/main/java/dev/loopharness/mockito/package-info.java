/**
 * Mockito on the event loop: {@link dev.loopharness.mockito.LoopAnswers} stubs asynchronous collaborators with
 * futures that complete on the loop, after a delay of loop time (virtual time on a virtual clock), and {@link
 * dev.loopharness.mockito.LoopMockito#timeout(java.time.Duration)} verifies in loop time by suspending the waiting
 * coroutine instead of sleeping on the loop.
 *
 * <p>Mockito ({@code org.mockito:mockito-core}) is an optional dependency of {@code loopharness-junit}: add it to
 * the test scope to use this package. Nothing else in the library needs it.
 *
 * @since 0.1.0
 */
package dev.loopharness.mockito;
