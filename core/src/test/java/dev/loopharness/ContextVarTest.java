package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Follows CPython 3.13's Lib/test/test_context.py (ContextTest) and the context tests of
 * Lib/test/test_asyncio/test_tasks.py and test_context.py; each test names the case it follows. Each test makes
 * its own variables, so what one leaves in the test thread's context is invisible to the next.
 */
class ContextVarTest {

    private static <T> T run(Coroutine<T> main) {
        return EventLoops.run(new VirtualClock(), main);
    }

    /** ContextTest.test_context_getset_1: get, find, set, tokens and their single use. */
    @Test
    void setReturnsATokenThatResetRestoresOnce() {
        ContextVar<Object> c = ContextVar.named("c");
        assertThatThrownBy(c::get)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ContextVar 'c' has no value: it was not set in this context and has no default; set it"
                        + " first, or create it with ContextVar.named(name, default)");
        assertThat(c.find()).isEmpty();
        ContextVar.Token<Object> t0 = c.set(42);
        assertThat(c.get()).isEqualTo(42);
        assertThat(t0.oldValue()).isEmpty();
        assertThat(t0.variable()).isSameAs(c);
        ContextVar.Token<Object> t = c.set("spam");
        assertThat(t.oldValue()).contains(42);
        c.reset(t);
        assertThat(c.get()).isEqualTo(42);
        c.set("spam2");
        assertThatThrownBy(() -> c.reset(t))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("<Token used var=ContextVar 'c'> has already been used once: each token resets once");
        assertThat(c.get()).isEqualTo("spam2");
        c.reset(t0);
        assertThat(c.find()).isEmpty();
    }

    /** ContextTest.test_context_getset_2: another variable's token is refused. */
    @Test
    void anotherVariablesTokenIsRefused() {
        ContextVar<Integer> v1 = ContextVar.named("v1");
        ContextVar<Integer> v2 = ContextVar.named("v2");
        ContextVar.Token<Integer> t1 = v1.set(42);
        @SuppressWarnings("unchecked")
        ContextVar.Token<Integer> wrong = (ContextVar.Token<Integer>) (ContextVar.Token<?>) t1;
        assertThatThrownBy(() -> v2.reset(wrong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("<Token var=ContextVar 'v1'> was created by a different ContextVar: reset it with"
                        + " ContextVar 'v1'.reset()");
        v1.reset(t1);
    }

    /** ContextTest.test_context_getset_4: a token made in another context is refused. */
    @Test
    void aTokenMadeInAnotherContextIsRefused() {
        ContextVar<Integer> c = ContextVar.named("c", 42);
        Throwable thrown = run(() -> {
            ContextVar.Token<Integer> inCallback = Async.await(callSoon(() -> c.set(1)));
            try {
                c.reset(inCallback);
                return null;
            } catch (IllegalArgumentException e) {
                return e;
            }
        });
        assertThat(thrown)
                .hasMessage("<Token var=ContextVar 'c'> was created in a different Context: reset a value in the"
                        + " task, callback or thread that set it");
    }

    private static <T> LoopFuture<T> callSoon(java.util.function.Supplier<T> body) {
        LoopFuture<T> result = Async.loop().createFuture();
        Async.loop().callSoon(() -> result.setResult(body.get()));
        return result;
    }

    /** ContextVar.named(name, default) and test_context_getset_3: the default where nothing was set. */
    @Test
    void aDefaultAnswersWhereNothingWasSet() {
        ContextVar<Integer> c = ContextVar.named("c", 42);
        assertThat(c.get()).isEqualTo(42);
        assertThat(c.find()).contains(42);
        ContextVar.Token<Integer> token = c.set(1);
        assertThat(token.oldValue()).isEmpty();
        c.reset(token);
        assertThat(c.get()).isEqualTo(42);
        assertThat(c.name()).isEqualTo("c");
        assertThatThrownBy(() -> ContextVar.named("d", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("defaultValue must not be null; for a variable without a default, use"
                        + " ContextVar.named(\"d\")");
        assertThatThrownBy(() -> c.set(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("value must not be null: ContextVar 'c' holds no null values; to undo a set(), pass its"
                        + " token to reset()");
        assertThatThrownBy(() -> c.reset(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("token must not be null");
    }

    /** test_tasks' test_context_1: a task runs in a copy of its creator's context, taken at creation. */
    @Test
    void aTaskRunsInACopyOfTheContextItWasCreatedIn() {
        ContextVar<String> cvar = ContextVar.named("cvar", "nope");
        List<String> seen = run(() -> {
            List<String> log = new ArrayList<>();
            cvar.set("before");
            Task<?> sub = Async.createTask(() -> {
                Async.sleep(Duration.ofMillis(10));
                log.add("sub sees " + cvar.get());
                cvar.set("something else");
                return null;
            });
            cvar.set("yes");
            Async.await(sub);
            log.add("main sees " + cvar.get());
            return log;
        });
        assertThat(seen).containsExactly("sub sees before", "main sees yes");
        assertThat(cvar.get()).isEqualTo("nope"); // the loop's main task ran in a copy of this thread's context
    }

    /** test_tasks' test_context_2: what a callback sets does not reach the task that scheduled it. */
    @Test
    void aCallbackRunsInACopyOfTheContextWhenItWasScheduled() {
        ContextVar<String> cvar = ContextVar.named("cvar", "nope");
        List<String> seen = run(() -> {
            List<String> log = new ArrayList<>();
            for (int j = 0; j < 2; j++) {
                cvar.set("yes" + j);
                LoopFuture<Void> done = Async.loop().createFuture();
                Async.loop().callSoon(() -> {
                    log.add("callback sees " + cvar.get());
                    cvar.set("something else"); // must not reach the task
                    done.setResult(null);
                });
                cvar.set("changed after scheduling " + j);
                Async.await(done);
                log.add("task sees " + cvar.get());
            }
            return log;
        });
        assertThat(seen)
                .containsExactly(
                        "callback sees yes0",
                        "task sees changed after scheduling 0",
                        "callback sees yes1",
                        "task sees changed after scheduling 1");
    }

    /** test_tasks' test_context_3: many tasks in parallel, each with its own value. */
    @Test
    void manyTasksEachKeepTheirOwnValue() {
        ContextVar<Integer> cvar = ContextVar.named("cvar", -1);
        List<Integer> results = run(() -> {
            List<Task<Integer>> subs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int num = i;
                subs.add(Async.createTask(() -> {
                    for (int step = 0; step < 3; step++) {
                        cvar.set(num + step);
                        Async.sleep(Duration.ofMillis(num % 7));
                        assertThat(cvar.get()).isEqualTo(num + step);
                    }
                    return cvar.get();
                }));
            }
            List<Integer> values = new ArrayList<>();
            for (Task<Integer> sub : subs) {
                values.add(Async.await(sub));
            }
            return values;
        });
        for (int i = 0; i < 100; i++) {
            assertThat(results.get(i)).isEqualTo(i + 2);
        }
        assertThat(cvar.get()).isEqualTo(-1);
    }

    /** ContextTest.test_context_threads_1: code on no loop sees a context of its own thread. */
    @Test
    void eachThreadOffTheLoopHasItsOwnContext() throws Exception {
        ContextVar<String> cvar = ContextVar.named("cvar");
        ContextVar.Token<String> token = cvar.set("main");
        AtomicReference<Optional<String>> seenElsewhere = new AtomicReference<>();
        Thread other = new Thread(() -> {
            seenElsewhere.set(cvar.find());
            cvar.set("other");
        });
        other.start();
        other.join();
        assertThat(seenElsewhere.get()).isEmpty();
        assertThat(cvar.get()).isEqualTo("main");
        cvar.reset(token);
        assertThat(cvar.find()).isEmpty();
    }

    /** A callback scheduled from another thread runs in that thread's context, as asyncio's. */
    @Test
    void callSoonThreadsafeCarriesTheSchedulingThreadsContext() throws Exception {
        ContextVar<String> requestId = ContextVar.named("request-id", "none");
        EventLoop loop = EventLoops.newEventLoop();
        try {
            CompletableFuture<String> seen = new CompletableFuture<>();
            Thread producer = new Thread(() -> {
                requestId.set("r-7");
                loop.callSoonThreadsafe(() -> seen.complete(requestId.get()));
            });
            producer.start();
            producer.join();
            loop.runUntilComplete(() -> {
                Async.sleep(Duration.ZERO);
                return null;
            });
            assertThat(seen).isCompletedWithValue("r-7");
        } finally {
            loop.close();
        }
    }
}
