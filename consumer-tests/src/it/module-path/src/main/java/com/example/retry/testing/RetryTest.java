package com.example.retry.testing;

import dev.loopharness.junit.ClockMode;
import dev.loopharness.junit.WithEventLoop;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;

/** A test of retrying code: on a fresh loop with a virtual clock, so back-off takes no real time. */
@Test
@WithEventLoop(clock = ClockMode.VIRTUAL)
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface RetryTest {}
