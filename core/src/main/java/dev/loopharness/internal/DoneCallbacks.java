package dev.loopharness.internal;

import java.util.ArrayList;
import java.util.function.Consumer;

/**
 * The done callbacks of a future, kept without an allocation for the common cases: {@code null} for none, the
 * callback itself for one, a {@link CallbackList} for more. The future holds the value and passes it in and
 * out; confined to the thread that owns its loop.
 */
final class DoneCallbacks {

    private DoneCallbacks() {}

    /** The callbacks with {@code callback} added last. */
    static Object add(Object registered, Object callback) {
        if (registered == null) {
            return callback;
        }
        if (registered instanceof CallbackList) {
            ((CallbackList) registered).add(callback);
            return registered;
        }
        CallbackList list = new CallbackList();
        list.add(registered);
        list.add(callback);
        return list;
    }

    /**
     * A callback of the loop's own bookkeeping ({@code FutureImpl.addDoneCallbackInternal}), marked so that it is
     * scheduled without a creation site.
     */
    record Bookkeeping(Object callback) {}

    /** The callbacks without the bookkeeping entry of {@code callback} (the same instance), if it is among them. */
    static Object removeBookkeeping(Object registered, Object callback) {
        if (registered instanceof Bookkeeping && ((Bookkeeping) registered).callback() == callback) {
            return null;
        }
        if (registered instanceof CallbackList) {
            CallbackList list = (CallbackList) registered;
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) instanceof Bookkeeping && ((Bookkeeping) list.get(i)).callback() == callback) {
                    list.remove(i);
                    break;
                }
            }
        }
        return registered;
    }

    /**
     * Removes every callback equal to {@code callback}: asyncio's {@code remove_done_callback}.
     *
     * @param removed receives the callbacks left, to be stored by the future
     * @return how many were removed
     */
    static int removeEqual(Object registered, Object callback, Consumer<Object> removed) {
        if (registered == null) {
            return 0;
        }
        if (!(registered instanceof CallbackList)) {
            if (registered.equals(callback)) {
                removed.accept(null);
                return 1;
            }
            return 0;
        }
        CallbackList list = (CallbackList) registered;
        int before = list.size();
        list.removeIf(each -> each.equals(callback));
        return before - list.size();
    }

    /** Hands each callback, in the order they were added, to {@code action}. */
    static void forEach(Object registered, Consumer<Object> action) {
        if (registered instanceof CallbackList) {
            for (Object callback : (CallbackList) registered) {
                action.accept(callback);
            }
        } else if (registered != null) {
            action.accept(registered);
        }
    }

    /** The callbacks of a future with more than one; a named type so it cannot be mistaken for a callback. */
    private static final class CallbackList extends ArrayList<Object> {
        private static final long serialVersionUID = 1L;
    }
}
