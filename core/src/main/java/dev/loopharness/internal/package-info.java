/**
 * The implementation of the loop: not an API, and not exported. The JUnit extension, like any harness, uses the
 * API ({@code dev.loopharness}) and the SPI ({@code dev.loopharness.spi}) only.
 *
 * <h2>Where each concept lives</h2>
 *
 * <ul>
 *   <li>{@code DefaultEventLoop}: the {@code EventLoop} API, each method a guard and a call to the class below that
 *       does the work; the loop's state, which changes through {@code transition} only; and the scheduling of
 *       callbacks and timers ({@code callSoon}, {@code callSoonThreadsafe}, {@code callAt}), which stays here so
 *       that it costs no call more than it must. Its collaborators are its package-private fields.
 *   <li>{@code LoopState}: the states and the only changes between them.
 *   <li>{@code LoopRun}: the run ({@code runForever}, {@code runUntilDone}, {@code stop}), its refusal of a nested
 *       run, the run on this thread ({@code runHere}, which takes a task's first step on the caller when it may),
 *       one iteration ({@code runOnce}) with its wait for work, and the loop-time poll ({@code advanceIdleTo}).
 *   <li>{@code LoopClose}: the close, in its order: unretrieved failures reported, the {@code CloseRecord} of who
 *       closed the loop, the state CLOSED, what waited to run dropped and counted ({@code DroppedWork}), the tasks
 *       unwound, the executor views told, the default executor shut.
 *   <li>{@code HandOff}: which thread owns the loop, handing control to a task's thread for a step, and moving a
 *       run from a platform thread to a driver thread; {@code TaskRunner} is the carrier strategy (which threads
 *       tasks run on: virtual threads, or the platform threads of {@code CarrierPool}, which tasks give back
 *       when they end); {@code Baton} is one task's side of each hand-off, and mends a suspension that failed
 *       half-way; {@code CallerStep} runs a task's first step on the thread that runs the loop, and starts a
 *       driver for the run if the task suspends.
 *   <li>{@code CallbackRunner}: the ready queue and the one place where callbacks and task steps run; the users'
 *       callbacks left in it ({@code pendingCallbacks}).
 *   <li>{@code TimerQueue}: the timers, their cancelled-timer count and compaction, and the one place where
 *       timers fire ({@code moveDue}).
 *   <li>{@code IncomingQueue}: callbacks from other threads, and the loop's wait for them.
 *   <li>{@code VirtualTimePolicy}: what a loop on a {@code VirtualClock} does with nothing ready: wait, jump
 *       the clock (autojump) or report a deadlock ({@code idle}). The run owns it.
 *   <li>{@code LoopTasks}: the tasks that have not ended: made with their first step scheduled, forgotten when
 *       they end, unwound when the loop closes.
 *   <li>{@code ForeignWork}: work on other threads: callables in executors, foreign stages wrapped or adopted
 *       ({@code adopt}), the default executor.
 *   <li>{@code WorkTags}, {@code OwnerGuard}, {@code UnretrievedFailures}, {@code DroppedWork}, {@code
 *       CloseRecord}: what a harness reads and sets on a loop it owns; {@code LoopHooks} implements the SPI's
 *       {@code OwnedLoop} over them (reaching them through the loop's package-private fields), {@code
 *       SeededSchedule} and {@code ScheduleDecision} the SPI's {@code ExploredSchedule}.
 *   <li>{@code FutureImpl} (with {@code FutureStages}, {@code DoneCallbacks} and {@code FutureCopy}, its {@code
 *       toCompletableFuture()}) and {@code TaskImpl}: asyncio's Future and Task; {@code TaskWarnings}: what the
 *       loop reports about a task (a slow step, a task that outlived the close).
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
 * <p>The loop calls out to the classes above; these calls go the other way, to the loop's package-private
 * methods or, through its fields, to a collaborator:
 *
 * <ul>
 *   <li>{@code LoopRun}, {@code LoopClose}: {@code state} and {@code transition} (the state machine stays with
 *       the loop's guards), {@code perturbation} (an explored schedule holds work back). {@code LoopRun} runs a
 *       loop until a future is done through {@code runForever}, guard included, as asyncio's {@code
 *       run_until_complete} calls {@code run_forever}.
 *   <li>{@code TaskImpl}: {@code callSoonStep} (schedules its step), {@code withoutCreationSite} (its done
 *       callbacks get no creation site), {@code adopt} (stages it awaits); {@code handOff} ({@code handOver}: its thread owns the
 *       loop during a step; {@code taskSuspended}: a run on a platform thread moves to a driver; {@code
 *       runner}: its thread; {@code stepInline} and {@code taskThreadLeaving}: a first step on the loop's own
 *       thread, and no interrupt reaches a thread whose task has ended; {@code takeGiveUp}: a blocked step
 *       given up); {@code tasks.done} (forgotten once finished); {@code callbacks.addStepNanos}, {@code
 *       slowCallbackNanos} and {@code run.idleAdvancedAt} (debug timing).
 *   <li>{@code CallerStep}: {@code run.goOnRunning} (its driver goes on with the run the caller began), {@code
 *       handOff.stepInlineEnded}, {@code runUntilComplete} (a task the run left pending ends before the caller
 *       goes on).
 *   <li>{@code Baton}: {@code callSoonThreadsafe} (a task whose suspension failed half-way asks to be resumed).
 *   <li>{@code FutureImpl}: {@code unretrieved} (the failures reported if nobody retrieves them), {@code
 *       callSoon} (done callbacks; the loop's own bookkeeping ones under {@code withoutCreationSite}, without a
 *       creation site), {@code adopt} (stages it awaits).
 *   <li>{@code TimerHandleImpl}: {@code timers.cancelled} to count its cancel, for compaction.
 *   <li>{@code CallbackRunner}, {@code TaskWarnings}, {@code ForeignWork}, {@code UndeclaredCompletion}, {@code
 *       UnretrievedFailures}: {@code callExceptionHandler}.
 *   <li>{@code LoopScheduledExecutor}: {@code closing} ({@code addListener}/{@code removeListener} and {@code
 *       viewTaskDropped}: its tasks end with the loop), {@code closedException}.
 *   <li>{@code LoopTimeClock}: the wall-clock origin and {@code run.virtualTime}. {@code LoopDiagnostics}: {@code
 *       run.virtualTime} (the deadlock grace). {@code Runner}: {@code tasks.pending}, {@code
 *       foreign.shutdownDefaultExecutor}, {@code closeAsOwner}.
 *   <li>{@code Coroutines}, {@code TaskGroupImpl}, {@code Waiting}, {@code ThreadsafeCoroutine}, {@code
 *       LoopHooks}: {@code newTask}.
 * </ul>
 *
 * <p>Threads: everything but the incoming queue, the loop's state and its owner is touched only by the thread
 * that owns the loop ({@code HandOff}): the thread running it, the task thread it handed control to, or any
 * thread while it is not running.
 */
package dev.loopharness.internal;
