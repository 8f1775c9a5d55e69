package dev.loopharness.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loopharness.EventLoops;
import dev.loopharness.ExceptionContext;
import dev.loopharness.Handle;
import dev.loopharness.LoopFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The loop's own done callbacks ({@code addDoneCallbackInternal}) run no user code, so their handles get no
 * creation site in debug mode, which spares a stack walk each; a user's done callback keeps its site.
 */
class BookkeepingCallbacksTest {

    private static final Duration THRESHOLD = Duration.ofMillis(5);

    private final DefaultEventLoop loop = (DefaultEventLoop) EventLoops.newEventLoop();
    private final List<ExceptionContext> reports = new ArrayList<>();

    BookkeepingCallbacksTest() {
        loop.setDebug(true);
        loop.setSlowCallbackDuration(THRESHOLD);
        loop.setExceptionHandler((l, context) -> reports.add(context));
    }

    @AfterEach
    void closeTheLoop() {
        loop.close();
    }

    /** Sleeps past the threshold, so that the slow-callback report shows the handle that ran it. */
    private static void sleepPastTheThreshold(LoopFuture<?> done) {
        try {
            Thread.sleep(THRESHOLD.toMillis() * 4);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runOnce() {
        loop.stop();
        loop.runForever();
    }

    private String reportedHandle(int index) {
        return reports.get(index).handle().map(Handle::toString).orElseThrow();
    }

    @Test
    void aBookkeepingCallbackIsScheduledWithoutACreationSiteAndAUsersCallbackWithOne() {
        FutureImpl<String> future = (FutureImpl<String>) loop.<String>createFuture();
        future.addDoneCallback(BookkeepingCallbacksTest::sleepPastTheThreshold);
        future.addDoneCallbackInternal(BookkeepingCallbacksTest::sleepPastTheThreshold);

        future.setResult("done");
        runOnce();

        assertThat(reports).hasSize(2);
        assertThat(reportedHandle(0))
                .contains("created at dev.loopharness.internal.BookkeepingCallbacksTest"
                        + ".aBookkeepingCallbackIsScheduledWithoutACreationSiteAndAUsersCallbackWithOne(");
        assertThat(reportedHandle(1)).doesNotContain("created at");
    }

    @Test
    void onAFutureAlreadyDoneABookkeepingCallbackIsScheduledWithoutACreationSiteToo() {
        FutureImpl<String> future = (FutureImpl<String>) loop.<String>createFuture();
        future.setResult("done");

        future.addDoneCallbackInternal(BookkeepingCallbacksTest::sleepPastTheThreshold);
        runOnce();

        assertThat(reports).hasSize(1);
        assertThat(reportedHandle(0)).startsWith("<Handle").doesNotContain("created at");
    }

    @Test
    void aRemovedBookkeepingCallbackDoesNotRunAndTheOthersDo() {
        FutureImpl<String> future = (FutureImpl<String>) loop.<String>createFuture();
        List<String> ran = new ArrayList<>();
        Consumer<LoopFuture<String>> first = done -> ran.add("first");
        Consumer<LoopFuture<String>> removed = done -> ran.add("removed");
        future.addDoneCallbackInternal(first);
        future.addDoneCallback(done -> ran.add("user's"));
        future.addDoneCallbackInternal(removed);

        future.removeDoneCallbackInternal(removed);
        future.removeDoneCallbackInternal(done -> ran.add("never added"));
        future.setResult("done");
        runOnce();

        assertThat(ran).containsExactly("first", "user's");
    }

    @Test
    void aSettlementInsideAnotherKeepsTheOuterOnesCallbacksWithoutACreationSite() {
        Handle[] scheduled = new Handle[1];

        loop.withoutCreationSite(() -> {
            loop.withoutCreationSite(() -> {});
            scheduled[0] = loop.callSoon(() -> {});
        });
        Handle afterwards = loop.callSoon(() -> {});

        assertThat(scheduled[0].toString()).doesNotContain("created at");
        assertThat(afterwards.toString()).contains("created at dev.loopharness.internal.BookkeepingCallbacksTest");
    }
}
