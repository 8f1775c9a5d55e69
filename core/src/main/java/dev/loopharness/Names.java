package dev.loopharness;

/** How queues and synchronization primitives name themselves in messages. */
final class Names {

    private Names() {}

    static String require(String name) {
        if (name == null) {
            throw new NullPointerException("name must not be null");
        }
        return name;
    }

    static String of(String kind, String name, Object primitive) {
        return name != null
                ? kind + " '" + name + "'"
                : kind + "@" + Integer.toHexString(System.identityHashCode(primitive));
    }

    static String call(Object primitive, String method) {
        return primitive + "." + method;
    }
}
