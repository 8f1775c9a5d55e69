package dev.loopharness;

import dev.loopharness.internal.LoopBinding;
import dev.loopharness.internal.WaitList;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.Queue;

/**
 * A queue for coroutines of one loop: asyncio's {@code Queue}, {@code PriorityQueue} and {@code LifoQueue}.
 * {@link #put} waits while a bounded queue is full, {@link #get} while it is empty, each suspending the calling
 * coroutine and not the loop; {@link #taskDone()} and {@link #join()} count items through to their processing;
 * {@link #shutdown(boolean)} ends it, as in Python 3.13.
 *
 * <pre>{@code
 * LoopQueue<Price> prices = new LoopQueue<Price>(16).withName("prices");
 * // reader:   prices.put(price);            waits while 16 prices are queued
 * // consumer: Price next = prices.get();    waits while none is
 * }</pre>
 *
 * <p><b>Loop and threads.</b> Not thread-safe: use it on its loop's thread (in coroutines and callbacks), like
 * asyncio's. The queue binds to the running loop at the first call that must wait, and refuses waits on another
 * loop afterwards ({@code "is bound to a different event loop"}); the methods that never wait work anywhere.
 *
 * <p><b>Fairness.</b> Waiting putters and getters are served first come, first served. A waiter cancelled after
 * it was woken passes its wake-up to the next, so none is lost.
 *
 * <p>Items must not be {@code null}: the JDK queues behind it refuse them. A priority queue hands out the least
 * item of its order first; equal items come out in no particular order.
 *
 * @param <T> the type of the items
 * @since 0.1.0
 */
public final class LoopQueue<T> {

    private final int maxsize;
    private final Queue<T> items;
    private final boolean lifo;
    private final LoopBinding binding = new LoopBinding(this);
    private final WaitList getters = new WaitList(binding);
    private final WaitList putters = new WaitList(binding);
    private final WaitList joiners = new WaitList(binding);
    private volatile String name;
    private int unfinished;
    private boolean shutDown;

    /** Creates an unbounded first-in first-out queue. */
    public LoopQueue() {
        this(0);
    }

    /**
     * Creates a first-in first-out queue.
     *
     * @param maxsize the most items it holds; zero or less for no bound
     */
    public LoopQueue(int maxsize) {
        this(maxsize, new ArrayDeque<>(), false);
    }

    private LoopQueue(int maxsize, Queue<T> items, boolean lifo) {
        this.maxsize = Math.max(maxsize, 0);
        this.items = items;
        this.lifo = lifo;
    }

    /**
     * Creates a queue that hands out the least item first: asyncio's {@code PriorityQueue}.
     *
     * @param <T> the type of the items
     * @param maxsize the most items it holds; zero or less for no bound
     * @param order the order of the items; must not be {@code null}
     * @return the queue
     * @throws NullPointerException if {@code order} is {@code null}
     */
    public static <T> LoopQueue<T> priority(int maxsize, Comparator<? super T> order) {
        if (order == null) {
            throw new NullPointerException(
                    "order must not be null; for the natural order use" + " Comparator.naturalOrder()");
        }
        return new LoopQueue<>(maxsize, new PriorityQueue<>(order), false);
    }

    /**
     * Creates a queue that hands out the last item put first: asyncio's {@code LifoQueue}.
     *
     * @param <T> the type of the items
     * @param maxsize the most items it holds; zero or less for no bound
     * @return the queue
     */
    public static <T> LoopQueue<T> lifo(int maxsize) {
        return new LoopQueue<>(maxsize, new ArrayDeque<>(), true);
    }

    /**
     * Names the queue for messages and for leak and hang reports ({@code waiting on LoopQueue 'prices' (full, 16
     * items)}). Safe from any thread.
     *
     * @param name the name; must not be {@code null}
     * @return this queue
     * @throws NullPointerException if {@code name} is {@code null}
     */
    public LoopQueue<T> withName(String name) {
        this.name = Names.require(name);
        return this;
    }

    /**
     * The queue's name.
     *
     * @return the name given to {@link #withName}, or {@code null}
     */
    public String name() {
        return name;
    }

    /**
     * Puts an item, waiting while the queue is full. Coroutines only, when it must wait.
     *
     * @param item the item; must not be {@code null}
     * @throws NullPointerException if {@code item} is {@code null}
     * @throws QueueShutDownException if the queue is shut down, before or while this waits
     * @throws IllegalStateException if it must wait outside a coroutine, or on another loop than the queue's
     * @throws java.util.concurrent.CancellationException if the calling task is cancelled while it waits
     */
    public void put(T item) {
        requireItem(item);
        while (full()) {
            checkNotShutDown("put");
            Object waiter = putters.add(Names.call(this, "put"));
            try {
                putters.await(waiter, () -> describe("full, " + items.size() + " items"));
            } catch (RuntimeException | Error e) {
                if (!full() && WaitList.wasWoken(waiter)) {
                    putters.wakeFirst();
                }
                throw e;
            }
        }
        add(item, "put");
    }

    /**
     * Puts an item if the queue has room, without waiting. Works anywhere.
     *
     * @param item the item; must not be {@code null}
     * @throws NullPointerException if {@code item} is {@code null}
     * @throws QueueFullException if the queue is full
     * @throws QueueShutDownException if the queue is shut down
     */
    public void putNowait(T item) {
        requireItem(item);
        add(item, "putNowait");
    }

    private void add(T item, String operation) {
        checkNotShutDown(operation);
        if (full()) {
            throw new QueueFullException(
                    this + " is full: it holds " + maxsize + " of " + maxsize + " items; use put() to wait for room");
        }
        items.add(item);
        unfinished++;
        getters.wakeFirst();
    }

    /**
     * Takes the next item, waiting while the queue is empty. Coroutines only, when it must wait.
     *
     * @return the item
     * @throws QueueShutDownException if the queue is shut down and empty, before or while this waits
     * @throws IllegalStateException if it must wait outside a coroutine, or on another loop than the queue's
     * @throws java.util.concurrent.CancellationException if the calling task is cancelled while it waits
     */
    public T get() {
        while (items.isEmpty()) {
            checkNotShutDown("get");
            Object waiter = getters.add(Names.call(this, "get"));
            try {
                getters.await(waiter, () -> describe("empty"));
            } catch (RuntimeException | Error e) {
                if (!items.isEmpty() && WaitList.wasWoken(waiter)) {
                    getters.wakeFirst();
                }
                throw e;
            }
        }
        return getNowait();
    }

    /**
     * Takes the next item if there is one, without waiting. Works anywhere.
     *
     * @return the item
     * @throws QueueEmptyException if the queue is empty (and not shut down)
     * @throws QueueShutDownException if the queue is shut down and empty
     */
    public T getNowait() {
        if (items.isEmpty()) {
            checkNotShutDown("getNowait");
            throw new QueueEmptyException(this + " is empty; use get() to wait for an item");
        }
        T item = lifo ? ((ArrayDeque<T>) items).pollLast() : items.poll();
        putters.wakeFirst();
        return item;
    }

    /**
     * Says that the processing of an item taken from the queue is complete; when every item put has been marked
     * so, {@link #join()} returns. Works anywhere.
     *
     * @throws IllegalStateException if called more times than items were put
     */
    public void taskDone() {
        if (unfinished <= 0) {
            throw new IllegalStateException(
                    "taskDone() called too many times on " + this + ": every item put has been marked done already");
        }
        unfinished--;
        if (unfinished == 0) {
            joiners.wakeAll();
        }
    }

    /**
     * Waits until every item put has been marked done with {@link #taskDone()}; returns at once if so already.
     * Like asyncio's, it returns once the count has reached zero, even if items were put again before it
     * resumed. Coroutines only, when it must wait.
     *
     * @throws IllegalStateException if it must wait outside a coroutine, or on another loop than the queue's
     * @throws java.util.concurrent.CancellationException if the calling task is cancelled while it waits
     */
    public void join() {
        if (unfinished > 0) {
            Object waiter = joiners.add(Names.call(this, "join"));
            joiners.await(waiter, () -> describe("join, " + unfinished + " unfinished"));
        }
    }

    /**
     * The number of items in the queue.
     *
     * @return the size
     */
    public int qsize() {
        return items.size();
    }

    /**
     * The most items the queue holds.
     *
     * @return the bound, or {@code 0} for none
     */
    public int maxsize() {
        return maxsize;
    }

    /**
     * Tells whether the queue holds no item.
     *
     * @return {@code true} if empty
     */
    public boolean empty() {
        return items.isEmpty();
    }

    /**
     * Tells whether a bounded queue holds {@link #maxsize()} items; an unbounded one is never full.
     *
     * @return {@code true} if full
     */
    public boolean full() {
        return maxsize > 0 && items.size() >= maxsize;
    }

    /**
     * Shuts the queue down, as Python 3.13's {@code Queue.shutdown}: puts fail from now on with {@link
     * QueueShutDownException}, and so do gets once the queue is empty; waiting putters and getters are woken to
     * fail. Immediately, the items left are dropped (and counted done for {@link #join()}), so gets fail at once.
     * Calling it again is harmless. Works anywhere.
     *
     * @param immediate whether to drop the items left
     */
    public void shutdown(boolean immediate) {
        shutDown = true;
        if (immediate) {
            while (!items.isEmpty()) {
                items.poll();
                if (unfinished > 0) {
                    unfinished--;
                }
            }
            if (unfinished == 0) {
                joiners.wakeAll();
            }
        }
        getters.wakeAll();
        putters.wakeAll();
    }

    private void checkNotShutDown(String operation) {
        if (shutDown) {
            throw new QueueShutDownException(operation + "() on " + this + ", which is shut down"
                    + (operation.startsWith("get") ? " and empty" : ""));
        }
    }

    private static void requireItem(Object item) {
        if (item == null) {
            throw new NullPointerException("item must not be null: a LoopQueue holds no null items;"
                    + " to end a consumer, use shutdown(false)");
        }
    }

    private String describe(String state) {
        return this + " (" + state + ")";
    }

    /**
     * Names the queue: {@code LoopQueue 'prices'}, or {@code LoopQueue@1b6d3586} when unnamed.
     *
     * @return the name for messages
     */
    @Override
    public String toString() {
        return Names.of("LoopQueue", name, this);
    }
}
