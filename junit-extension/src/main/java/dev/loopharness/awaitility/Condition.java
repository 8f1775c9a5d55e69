package dev.loopharness.awaitility;

import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.awaitility.core.ThrowingRunnable;
import org.hamcrest.BaseMatcher;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.StringDescription;

/**
 * One condition a wait polls: evaluated on the loop thread, and able to say, in Awaitility's words, why it was
 * not met.
 *
 * @param <T> what a successful evaluation yields
 */
abstract class Condition<T> {

    /** One evaluation's outcome: met (with the value) or not (with why not, and the assertion that said so). */
    record Poll<T>(boolean met, T value, String mismatch, AssertionError failure) {

        static <T> Poll<T> met(T value) {
            return new Poll<>(true, value, null, null);
        }

        static <T> Poll<T> notMet(String mismatch, AssertionError failure) {
            return new Poll<>(false, null, mismatch, failure);
        }
    }

    /** Evaluates once; an exception it throws is the condition's own failure. */
    abstract Poll<T> poll() throws Exception;

    /** Why the wait timed out, in Awaitility's form, from the last evaluation (which may be {@code null}). */
    abstract String timeoutMessage(Poll<T> last);

    static Condition<Void> callable(Callable<Boolean> condition) {
        return new Condition<>() {
            @Override
            Poll<Void> poll() throws Exception {
                return Boolean.TRUE.equals(condition.call()) ? Poll.met(null) : Poll.notMet(null, null);
            }

            @Override
            String timeoutMessage(Poll<Void> last) {
                String name = describe(condition);
                return isLambda(condition)
                        ? "Condition with " + name + " was not fulfilled"
                        : "Condition " + name + " was not fulfilled";
            }
        };
    }

    static <T> Condition<T> matching(String subject, Callable<T> supplier, Matcher<? super T> matcher) {
        return new Condition<>() {
            @Override
            Poll<T> poll() throws Exception {
                T value = supplier.call();
                if (matcher.matches(value)) {
                    return Poll.met(value);
                }
                Description mismatch = new StringDescription();
                matcher.describeMismatch(value, mismatch);
                String text = mismatch.toString();
                return Poll.notMet(text.isEmpty() ? "was <" + value + ">" : text, null);
            }

            @Override
            String timeoutMessage(Poll<T> last) {
                String expected = subject + " expected " + StringDescription.toString(matcher);
                return last == null ? expected : expected + " but " + last.mismatch();
            }
        };
    }

    static <T> Condition<T> matching(Callable<T> supplier, Matcher<? super T> matcher) {
        return matching(describe(supplier), supplier, matcher);
    }

    static Condition<Void> asserted(ThrowingRunnable assertion) {
        return new Condition<>() {
            @Override
            Poll<Void> poll() throws Exception {
                try {
                    assertion.run();
                    return Poll.met(null);
                } catch (AssertionError failure) {
                    return Poll.notMet(withoutFinalPeriod(failure.getMessage()), failure);
                } catch (Exception | Error failure) {
                    throw failure;
                } catch (Throwable other) {
                    throw new IllegalStateException("The assertion threw " + other, other);
                }
            }

            @Override
            String timeoutMessage(Poll<Void> last) {
                String prefix = isLambda(assertion)
                        ? "Assertion condition defined as a " + describe(assertion)
                        : "Assertion condition " + describe(assertion);
                return last == null ? prefix + " was never evaluated" : prefix + " " + last.mismatch();
            }
        };
    }

    /** A predicate as a matcher, so that it is described and polled like one. */
    static <T> Matcher<T> accepting(Predicate<? super T> predicate) {
        return new BaseMatcher<>() {
            @Override
            @SuppressWarnings("unchecked")
            public boolean matches(Object item) {
                return predicate.test((T) item);
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a value accepted by " + describe(predicate));
            }
        };
    }

    /** How Awaitility names a lambda ("Lambda expression in com.example.FooTest") or another object (its class). */
    static String describe(Object function) {
        String name = function.getClass().getName();
        int lambda = name.indexOf("$$Lambda");
        return lambda < 0 ? name : "Lambda expression in " + name.substring(0, lambda);
    }

    private static boolean isLambda(Object function) {
        return function.getClass().getName().contains("$$Lambda");
    }

    private static String withoutFinalPeriod(String message) {
        if (message == null) {
            return "failed";
        }
        return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }
}
