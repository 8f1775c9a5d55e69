package dev.loopharness.junit.internal;

import dev.loopharness.spi.OwnedLoop;
import java.util.ArrayList;
import java.util.List;

/**
 * Whom a piece of work on a harness loop belongs to, and how it came to be: the test (or lifecycle scope) that
 * owns it, and the creation sites of the work that armed it, the test's own code first. It is the loop's tag of
 * each task, timer and callback: work created while tagged work runs inherits its owner, and its chain grows by
 * the creation site of the work that ran. A site already in the chain is not added again, so a timer that re-arms
 * itself for ever keeps one chain of bounded length.
 *
 * @param owner the unique id of the test or container that owns the work
 * @param chain where the work that armed this one was created, outermost (the test's code) first
 */
record Attribution(String owner, List<StackTraceElement> chain) {

    /** The longest chain kept: deeper chains stop growing, the test's end of them being the part that matters. */
    static final int LONGEST_CHAIN = 8;

    /** The tag of work created directly by a test or lifecycle method. */
    static Attribution of(String owner) {
        return new Attribution(owner, List.of());
    }

    /** The loop's {@link OwnedLoop.TagInheritance}: the parent's owner, its chain and its creation site. */
    static Object inherit(Object parentTag, StackTraceElement parentSite) {
        if (!(parentTag instanceof Attribution)) {
            return parentTag;
        }
        Attribution parent = (Attribution) parentTag;
        if (parentSite == null || parent.chain.contains(parentSite) || parent.chain.size() >= LONGEST_CHAIN) {
            return parent;
        }
        List<StackTraceElement> longer = new ArrayList<>(parent.chain);
        longer.add(parentSite);
        return new Attribution(parent.owner, List.copyOf(longer));
    }

    /** The owner of a task, handle or timer of a harness loop, or {@code null} for work of the scope. */
    static String ownerOf(Object work) {
        Object tag = OwnedLoop.tagOf(work);
        return tag instanceof Attribution ? ((Attribution) tag).owner : null;
    }

    /** The chain of a task, handle or timer: empty for work the test's code created itself. */
    static List<StackTraceElement> chainOf(Object work) {
        Object tag = OwnedLoop.tagOf(work);
        return tag instanceof Attribution ? ((Attribution) tag).chain : List.of();
    }
}
