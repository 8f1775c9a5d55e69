package com.example.reminders.testing;

import dev.loopharness.junit.ClockMode;
import dev.loopharness.junit.WithEventLoop;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;

/** A test of reminders: on a fresh loop with a virtual clock. */
@Test
@WithEventLoop(clock = ClockMode.VIRTUAL)
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface ReminderTest {}
