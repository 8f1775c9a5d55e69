package dev.loopharness.internal;

import dev.loopharness.spi.OwnedLoop;

/**
 * Who created each piece of a loop's work, for the JUnit extension's leak attribution: when turned on, every
 * task, timer and callback gets a tag derived from the work that was running when it was created, or the
 * default tag if none was. Off unless turned on: it costs a lookup per scheduling. Confined to the thread that
 * owns the loop, but for the default tag, which any thread may change.
 */
final class WorkTags {

    private boolean on;
    private volatile Object defaultTag;
    private OwnedLoop.TagInheritance inheritance = (parentTag, parentSite) -> parentTag;

    /** Whether work is tagged at all. */
    boolean on() {
        return on;
    }

    void turnOn(Object defaultTag) {
        this.on = true;
        this.defaultTag = defaultTag;
    }

    void turnOn(Object defaultTag, OwnedLoop.TagInheritance inheritance) {
        this.inheritance = Arguments.notNull(inheritance, "inheritance");
        turnOn(defaultTag);
    }

    /** The tag of work posted from another thread. */
    Object defaultTag() {
        return defaultTag;
    }

    /**
     * The tag of work created now on the loop's thread, or on a task's thread.
     *
     * @param loop the loop
     * @param running the callback the loop runs now, or {@code null}
     */
    Object current(DefaultEventLoop loop, ReadyHandle running) {
        TaskImpl<?> task = TaskImpl.current();
        if (task != null && task.loop == loop) {
            return inherited(task.tag, task.createdAt().orElse(null));
        }
        if (running instanceof TaskStep) {
            TaskImpl<?> stepping = ((TaskStep) running).task;
            return inherited(stepping.tag, stepping.createdAt().orElse(null));
        }
        return running != null ? inherited(running.tag(), running.createdAt()) : defaultTag;
    }

    /** Work created by untagged work is untagged too: it belongs to nobody in particular, such as a scope. */
    private Object inherited(Object parentTag, StackTraceElement parentSite) {
        return parentTag == null ? null : inheritance.inherit(parentTag, parentSite);
    }

    /** The tag of a task, handle or timer, or {@code null}. */
    static Object of(Object work) {
        if (work instanceof TaskImpl) {
            return ((TaskImpl<?>) work).tag;
        }
        return work instanceof ReadyHandle ? ((ReadyHandle) work).tag() : null;
    }
}
