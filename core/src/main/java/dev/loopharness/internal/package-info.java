/**
 * The implementation of the loop: not an API, and not exported. The JUnit extension, like any harness, uses the
 * API ({@code dev.loopharness}) and the SPI ({@code dev.loopharness.spi}) only.
 *
 * <h2>Where each concept lives</h2>
 *
 * <ul>
 *   <li>{@code DefaultEventLoop}: the {@code EventLoop} API, its guards, the run ({@code runHere}, one iteration
 *       in {@code runOnce}), the state machine ({@code transition}) and the close; it delegates to the classes
 *       below.
 *   <li>{@code LoopState}: the states and the only changes between them.
 *   <li>{@code HandOff}: which thread owns the loop, handing control to a task's thread for a step, and moving a
 *       run from a platform thread to a driver thread; {@code TaskRunner} is the carrier strategy (which threads
 *       tasks run on: virtual threads, or the platform threads of {@code CarrierPool}, which tasks give back
 *       when they end); {@code Baton} is one task's side of each hand-off; {@code CallerStep} runs a task's
 *       first step on the thread that runs the loop, and starts a driver for the run if the task suspends.
 *   <li>{@code CallbackRunner}: the ready queue and the one place where callbacks and task steps run.
 *   <li>{@code TimerQueue}: the timers, their cancelled-timer count and compaction, and the one place where
 *       timers fire ({@code moveDue}).
 *   <li>{@code IncomingQueue}: callbacks from other threads, and the loop's wait for them.
 *   <li>{@code VirtualTimePolicy}: what a loop on a {@code VirtualClock} does with nothing ready: wait, jump
 *       the clock (autojump) or report a deadlock ({@code idle}).
 *   <li>{@code WorkTags}, {@code OwnerGuard}, {@code UnretrievedFailures}, {@code DroppedWork}, {@code
 *       CloseRecord}: what a harness reads and sets on a loop it owns; {@code LoopHooks} implements the SPI's
 *       {@code OwnedLoop} over them (reaching them through the loop's package-private fields), {@code
 *       SeededSchedule} and {@code ScheduleDecision} the SPI's {@code ExploredSchedule}.
 *   <li>{@code FutureImpl} (with {@code FutureStages} and {@code DoneCallbacks}) and {@code TaskImpl}: asyncio's
 *       Future and Task.
 * </ul>
 *
 * <h2>The loop's states</h2>
 *
 * <pre>
 *   NOT_RUNNING --run--&gt; RUNNING --stop()--&gt; STOPPING --batch done--&gt; NOT_RUNNING
 *   NOT_RUNNING --run after an earlier stop()--&gt; STOPPING (one iteration)
 *   RUNNING --the run throws--&gt; NOT_RUNNING
 *   NOT_RUNNING --close()--&gt; CLOSED (final)
 * </pre>
 *
 * <p>Every change goes through {@code DefaultEventLoop.transition}, which refuses any other.
 *
 * <h2>Who calls back into the loop, and why</h2>
 *
 * <p>The loop calls out to the classes above; these calls go the other way, through package-private methods:
 *
 * <ul>
 *   <li>{@code TaskImpl}: {@code callSoonStep} (schedules its step), {@code handOver} (its thread owns the
 *       loop during a step), {@code taskSuspended} (a run on a platform thread moves to a driver), {@code
 *       settleTask} (its done callbacks get no creation site), {@code taskDone} (forgotten once finished),
 *       {@code addStepNanos} and {@code slowCallbackNanos} (debug timing), {@code taskRunner} (its thread),
 *       {@code stepInline} and {@code taskThreadLeaving} (a first step on the loop's own thread; no interrupt
 *       reaches a thread whose task has ended).
 *   <li>{@code CallerStep}: {@code goOnRunning} (its driver goes on with the run the caller began), {@code
 *       stepInlineEnded}, {@code runUntilComplete} (a task the run left pending ends before the caller goes on).
 *   <li>{@code FutureImpl}: {@code unretrievedFailure} and {@code failureRetrieved} (the failures reported if
 *       nobody retrieves them), {@code callSoon} (done callbacks; the loop's own bookkeeping ones under {@code
 *       settleTask}, without a creation site), {@code adopt} (stages it awaits).
 *   <li>{@code TimerHandleImpl}: {@code timers()} to count its cancel, for compaction.
 *   <li>{@code CallbackRunner}: {@code callExceptionHandler} (a callback's exception, a slow callback).
 *   <li>{@code LoopScheduledExecutor}: {@code addCloseListener}/{@code removeCloseListener} and {@code
 *       viewTaskDropped} (its tasks end with the loop), {@code closedException}.
 *   <li>{@code LoopTimeClock}: {@code wallClockInstant}. {@code Runner}: {@code pendingTasks}.
 *   <li>{@code Coroutines}, {@code TaskGroupImpl}, {@code Waiting}, {@code ThreadsafeCoroutine}: {@code
 *       newTask}.
 * </ul>
 *
 * <p>Threads: everything but the incoming queue, the loop's state and its owner is touched only by the thread
 * that owns the loop ({@code HandOff}): the thread running it, the task thread it handed control to, or any
 * thread while it is not running.
 */
package dev.loopharness.internal;
