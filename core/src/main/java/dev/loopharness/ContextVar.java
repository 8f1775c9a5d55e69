package dev.loopharness;

import dev.loopharness.internal.Contexts;
import java.util.Optional;

/**
 * A variable whose value depends on the context it is read in: Python's {@code contextvars.ContextVar}. Request
 * ids and logging context travel this way through tasks and callbacks without being passed along.
 *
 * <pre>{@code
 * static final ContextVar<String> REQUEST_ID = ContextVar.named("request-id");
 *
 * REQUEST_ID.set("r-42");
 * Task<?> task = Async.createTask(() -> log(REQUEST_ID.get()));   // sees "r-42", whatever happens later here
 * }</pre>
 *
 * <p><b>Contexts.</b> As in asyncio: each task runs in a copy of the context that was current when it was
 * created, so what a task sets stays in that task; each callback runs in a copy of the context that was current
 * when it was scheduled ({@link EventLoop#callSoon}, {@link EventLoop#callLater}, {@link
 * EventLoop#callSoonThreadsafe} from any thread). Code that runs on no loop sees a context of its own thread.
 *
 * <p><b>Values.</b> Values are never {@code null}: a variable without a value has none, rather than a {@code
 * null} one; {@link #find()} says which. Values are shared, not copied: keep them immutable.
 *
 * <p><b>Threads.</b> Safe from any thread: each thread reads and writes its own current context.
 *
 * @param <T> the type of the value
 * @since 0.1.0
 */
public final class ContextVar<T> {

    private final String name;
    private final T defaultValue;

    private ContextVar(String name, T defaultValue) {
        this.name = name;
        this.defaultValue = defaultValue;
    }

    /**
     * Creates a variable without a default: {@link #get()} throws until it is set.
     *
     * @param <T> the type of the value
     * @param name the name, for messages; must not be {@code null}
     * @return the variable
     * @throws NullPointerException if {@code name} is {@code null}
     */
    public static <T> ContextVar<T> named(String name) {
        return new ContextVar<>(Names.require(name), null);
    }

    /**
     * Creates a variable with a default, which {@link #get()} returns where it was not set.
     *
     * @param <T> the type of the value
     * @param name the name, for messages; must not be {@code null}
     * @param defaultValue the default; must not be {@code null}
     * @return the variable
     * @throws NullPointerException if an argument is {@code null}
     */
    public static <T> ContextVar<T> named(String name, T defaultValue) {
        Names.require(name);
        if (defaultValue == null) {
            throw new NullPointerException("defaultValue must not be null; for a variable without a default, use"
                    + " ContextVar.named(\"" + name + "\")");
        }
        return new ContextVar<>(name, defaultValue);
    }

    /**
     * The variable's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The value in the current context, else the default.
     *
     * @return the value, never {@code null}
     * @throws IllegalStateException if the variable has no value here and no default (Python's {@code
     *     LookupError})
     */
    public T get() {
        return find().orElseThrow(() -> new IllegalStateException(this + " has no value: it was not set in this"
                + " context and has no default; set it first, or create it with ContextVar.named(name, default)"));
    }

    /**
     * The value in the current context, else the default, if there is either.
     *
     * @return the value, or empty
     */
    @SuppressWarnings("unchecked") // only set() stores values under this variable, and they are Ts
    public Optional<T> find() {
        T value = (T) Contexts.get(this);
        return Optional.ofNullable(value != null ? value : defaultValue);
    }

    /**
     * Sets the value in the current context; the token it returns undoes that with {@link #reset(Token)}.
     *
     * @param value the value; must not be {@code null}
     * @return a token for {@link #reset(Token)}
     * @throws NullPointerException if {@code value} is {@code null}
     */
    @SuppressWarnings("unchecked")
    public Token<T> set(T value) {
        if (value == null) {
            throw new NullPointerException("value must not be null: " + this + " holds no null values; to undo a"
                    + " set(), pass its token to reset()");
        }
        Contexts.Cell context = Contexts.current();
        TokenImpl<T> token = new TokenImpl<>(this, context, (T) Contexts.get(this));
        Contexts.put(context, this, value);
        return token;
    }

    /**
     * Restores the value a {@link #set(Object)} replaced (or the absence of one), in the context the set was made
     * in. Each token works once.
     *
     * @param token the token the set returned; must not be {@code null}
     * @throws NullPointerException if {@code token} is {@code null}
     * @throws IllegalStateException if the token was used already
     * @throws IllegalArgumentException if the token is another variable's, or was made in another context (another
     *     task, callback or thread)
     */
    public void reset(Token<T> token) {
        if (token == null) {
            throw new NullPointerException("token must not be null");
        }
        if (!(token instanceof TokenImpl)) {
            throw new IllegalArgumentException(
                    token + " was not returned by ContextVar.set(); pass the token that" + " set() returned");
        }
        TokenImpl<T> mine = (TokenImpl<T>) token;
        if (mine.used) {
            throw new IllegalStateException(token + " has already been used once: each token resets once");
        }
        if (mine.variable != this) {
            throw new IllegalArgumentException(
                    token + " was created by a different ContextVar: reset it with " + mine.variable + ".reset()");
        }
        if (mine.context != Contexts.current()) {
            throw new IllegalArgumentException(token + " was created in a different Context: reset a value in the"
                    + " task, callback or thread that set it");
        }
        mine.used = true;
        Contexts.put(mine.context, this, mine.oldValue);
    }

    /**
     * Names the variable: {@code ContextVar 'request-id'}.
     *
     * @return the name for messages
     */
    @Override
    public String toString() {
        return "ContextVar '" + name + "'";
    }

    /**
     * What {@link ContextVar#set(Object)} returns: the variable, and the value the set replaced, for {@link
     * ContextVar#reset(Token)}.
     *
     * @param <T> the type of the value
     * @since 0.1.0
     */
    public interface Token<T> {

        /**
         * The variable that was set.
         *
         * @return the variable
         */
        ContextVar<T> variable();

        /**
         * The value the set replaced.
         *
         * @return the value, or empty if the variable had none (its default does not count)
         */
        Optional<T> oldValue();
    }

    private static final class TokenImpl<T> implements Token<T> {
        final ContextVar<T> variable;
        final Contexts.Cell context;
        final T oldValue;
        boolean used;

        TokenImpl(ContextVar<T> variable, Contexts.Cell context, T oldValue) {
            this.variable = variable;
            this.context = context;
            this.oldValue = oldValue;
        }

        @Override
        public ContextVar<T> variable() {
            return variable;
        }

        @Override
        public Optional<T> oldValue() {
            return Optional.ofNullable(oldValue);
        }

        @Override
        public String toString() {
            return "<Token" + (used ? " used" : "") + " var=" + variable + ">";
        }
    }
}
