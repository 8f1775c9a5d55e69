/**
 * The JUnit Jupiter extension: {@link dev.loopharness.junit.WithEventLoop @WithEventLoop}, its enums, the
 * extension and the errors it reports tests with.
 */
package dev.loopharness.junit;
