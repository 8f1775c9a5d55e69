package dev.loopharness.internal;

import dev.loopharness.Coroutine;
import dev.loopharness.EventLoop;
import dev.loopharness.Handle;
import dev.loopharness.LoopClock;
import dev.loopharness.LoopFuture;
import dev.loopharness.Task;
import dev.loopharness.spi.ExploredSchedule;
import dev.loopharness.spi.OwnedLoop;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The {@link OwnedLoop} SPI over a loop's collaborators: the owner guard, the work tags, the unretrieved failures
 * and the hand-off. The loop itself knows nothing of harnesses; what it must do for one (refuse a close, tag work,
 * give a step up) its collaborators do, and this class is the one door to them.
 */
public final class LoopHooks implements OwnedLoop {

    private final DefaultEventLoop loop;

    private LoopHooks(DefaultEventLoop loop) {
        this.loop = loop;
    }

    /**
     * Creates a loop and its hooks: the SPI's {@link OwnedLoop#create(LoopClock)}.
     *
     * @param clock the clock; must not be {@code null}
     * @return the hooks of a new loop
     */
    public static OwnedLoop create(LoopClock clock) {
        return new LoopHooks(new DefaultEventLoop(Arguments.notNull(clock, "clock")));
    }

    /**
     * The tag of a task, handle or timer: the SPI's {@link OwnedLoop#tagOf(Object)}.
     *
     * @param work the work, may be {@code null}
     * @return its tag, or {@code null}
     */
    public static Object tagOf(Object work) {
        return WorkTags.of(work);
    }

    /**
     * Cancels a handle and the scheduled-executor task behind its timer: the SPI's {@link
     * OwnedLoop#cancelWork(Handle)}.
     *
     * @param handle the handle; must not be {@code null}
     */
    public static void cancelWork(Handle handle) {
        Arguments.notNull(handle, "handle");
        if (handle instanceof ReadyHandle && ((ReadyHandle) handle).callback() instanceof LoopScheduledFuture) {
            ((LoopScheduledFuture<?>) ((ReadyHandle) handle).callback()).cancel(false);
        }
        handle.cancel();
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public void guard(String ownerDescription) {
        loop.ownerGuard.guard(ownerDescription);
    }

    @Override
    public void allowStop(boolean allowed) {
        loop.ownerGuard.allowStop(allowed);
    }

    @Override
    public void setActivity(String description) {
        loop.ownerGuard.setActivity(description);
    }

    @Override
    public void setNestedRunHint(String hint) {
        loop.ownerGuard.setNestedRunHint(hint);
    }

    @Override
    public void onConfinementViolation(Consumer<IllegalStateException> listener) {
        loop.ownerGuard.onConfinementViolation(listener);
    }

    @Override
    public void shutdownAsOwner(String ownerDescription) {
        Runner.shutdownAsOwner(loop, Arguments.notNull(ownerDescription, "ownerDescription"));
    }

    @Override
    public Optional<String> droppedAtClose() {
        DroppedWork dropped = loop.droppedAtClose();
        return dropped.total() > 0 ? Optional.of(dropped.toString()) : Optional.empty();
    }

    @Override
    public void tagWork(Object defaultTag) {
        loop.tags.turnOn(defaultTag);
    }

    @Override
    public void tagWork(Object defaultTag, TagInheritance inheritance) {
        loop.tags.turnOn(defaultTag, inheritance);
    }

    @Override
    public <T> Task<T> createTask(Coroutine<T> coroutine, Object tag) {
        TaskImpl<T> task = loop.newTask(coroutine, false);
        task.tag = tag;
        return task;
    }

    @Override
    public <T> Task<T> createTaskOnCaller(Coroutine<T> coroutine, Object tag) {
        TaskImpl<T> task = loop.newTask(coroutine, false);
        task.tag = tag;
        loop.run.callerTask = task;
        return task;
    }

    @Override
    public Duration sampleCallerStep() {
        CallerStep step = loop.run.callerStep; // read before callerTask: the run sets it before it clears callerTask
        if (step != null) {
            return step.sample();
        }
        return loop.run.callerTask != null ? Duration.ofNanos(loop.slowCallbackNanos()) : null;
    }

    @Override
    public boolean interruptTaskStep(Thread expected) {
        return loop.handOff.interruptTaskStep(expected);
    }

    @Override
    public List<LoopFuture<?>> unretrievedFailures() {
        return loop.unretrieved.snapshot();
    }

    @Override
    public void forgetFailure(LoopFuture<?> future) {
        if (Arguments.notNull(future, "future") instanceof FutureImpl && ((FutureImpl<?>) future).loop == loop) {
            ((FutureImpl<?>) future).markRetrieved();
        }
    }

    @Override
    public List<Handle> pendingCallbacks() {
        return loop.callbacks.pendingCallbacks();
    }

    @Override
    public Thread runningTaskThread() {
        return loop.handOff.runningTaskThread();
    }

    @Override
    public boolean giveUpBlockedStep() {
        return loop.handOff.requestGiveUp();
    }

    @Override
    public List<String> workHoldingTheClock() {
        return loop.foreign.holdingClock();
    }

    @Override
    public void setUndeclaredCompletionFails(boolean fails) {
        loop.foreign.setUndeclaredCompletionFails(fails);
    }

    @Override
    public void explore(ExploredSchedule schedule) {
        if (!(Arguments.notNull(schedule, "schedule") instanceof SeededSchedule)) {
            throw new IllegalArgumentException("schedule must come from ExploredSchedule.seeded(...): got " + schedule);
        }
        ((SeededSchedule) schedule).installOn(loop);
    }

    @Override
    public String toString() {
        return "OwnedLoop" + loop;
    }
}
