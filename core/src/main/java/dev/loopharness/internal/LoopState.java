package dev.loopharness.internal;

/** The states of a loop. Transitions: NOT_RUNNING -> RUNNING -> (STOPPING ->) NOT_RUNNING; NOT_RUNNING -> CLOSED. */
enum LoopState {
    NOT_RUNNING,
    RUNNING,
    STOPPING,
    CLOSED;

    boolean isRunning() {
        return this == RUNNING || this == STOPPING;
    }
}
