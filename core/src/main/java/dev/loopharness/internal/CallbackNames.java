package dev.loopharness.internal;

/** Readable names of callbacks: lambdas have generated class names that say little. */
final class CallbackNames {

    private CallbackNames() {}

    static String describe(Object callback) {
        String name = callback.getClass().getName();
        int lambda = name.indexOf("$$Lambda");
        if (lambda >= 0) {
            return "lambda in " + name.substring(0, lambda);
        }
        String text = callback.toString();
        return text.startsWith(name + "@") ? name : text;
    }
}
