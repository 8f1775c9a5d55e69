/**
 * loopharness for JUnit Jupiter: {@code @WithEventLoop} and its extension, with bridges to Awaitility and
 * Mockito for tests that wait in loop time.
 *
 * <p>Exports the API packages only; the extension's implementation, {@code dev.loopharness.junit.internal},
 * builds on core's API and SPI and is not exported. JUnit instantiates the extensions that the annotations name
 * by reflection: {@code EventLoopExtension} is exported, and the implementation package is opened to JUnit's
 * reflection support alone, for the schedule explorer that {@code @ExploreSchedules} names. Awaitility and Mockito are optional:
 * a module that uses {@code dev.loopharness.awaitility} or {@code dev.loopharness.mockito} requires them itself.
 */
@SuppressWarnings("requires-automatic")
module dev.loopharness.junit {
    requires transitive dev.loopharness.core;
    requires transitive org.junit.jupiter.api;
    requires static awaitility;
    requires static org.hamcrest;
    requires static org.mockito;

    exports dev.loopharness.junit;
    exports dev.loopharness.awaitility;
    exports dev.loopharness.mockito;

    opens dev.loopharness.junit.internal to
            org.junit.platform.commons;
}
