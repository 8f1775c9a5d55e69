package dev.loopharness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Arguments the core refuses with a message that names them, and the executor view's {@code submit} forms for
 * runnables.
 */
class RefusedArgumentsTest {

    private final EventLoop loop = EventLoops.newEventLoop(new VirtualClock());

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    /** A token that {@code ContextVar.set()} did not return. */
    private static final class ForeignToken implements ContextVar.Token<String> {
        private final ContextVar<String> variable;

        ForeignToken(ContextVar<String> variable) {
            this.variable = variable;
        }

        @Override
        public ContextVar<String> variable() {
            return variable;
        }

        @Override
        public Optional<String> oldValue() {
            return Optional.empty();
        }

        @Override
        public String toString() {
            return "a home-made token";
        }
    }

    @Test
    void resetRefusesATokenThatSetDidNotReturn() {
        ContextVar<String> variable = ContextVar.named("user", "nobody");
        ContextVar.Token<String> foreign = new ForeignToken(variable);

        assertThatThrownBy(() -> variable.reset(foreign))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "a home-made token was not returned by ContextVar.set(); pass the token that set() returned");
        assertThatThrownBy(() -> variable.reset(null))
                .isExactlyInstanceOf(NullPointerException.class)
                .hasMessage("token must not be null");
        assertThat(variable.get()).isEqualTo("nobody");
    }

    @Test
    void awaitUntilRefusesANullPredicate() {
        LoopCondition condition = new LoopCondition();

        assertThatThrownBy(() -> loop.runUntilComplete(() -> condition.withLock(() -> {
                    condition.awaitUntil(null);
                    return null;
                })))
                .isExactlyInstanceOf(NullPointerException.class)
                .hasMessage("predicate must not be null");
        assertThat(condition.locked()).as("withLock released the lock").isFalse();
    }

    @Test
    void theExecutorViewRunsSubmittedRunnablesOnTheLoop() throws Exception {
        var view = loop.asScheduledExecutorService();
        StringBuilder ran = new StringBuilder();

        Future<?> plain = view.submit(() -> {
            ran.append("plain;");
        });
        Future<String> withResult = view.submit(() -> ran.append("with result;"), "result");
        loop.runUntilComplete(() -> {
            Async.sleep(Duration.ZERO);
            return null;
        });

        assertThat(plain.isDone()).isTrue();
        assertThat(plain.get()).isNull();
        assertThat(withResult.get()).isEqualTo("result");
        assertThat(ran).hasToString("plain;with result;");
        assertThatThrownBy(() -> view.submit((Runnable) null))
                .isExactlyInstanceOf(NullPointerException.class)
                .hasMessage("task must not be null");
        assertThatThrownBy(() -> view.submit((Runnable) null, "result"))
                .isExactlyInstanceOf(NullPointerException.class)
                .hasMessage("task must not be null");
    }
}
