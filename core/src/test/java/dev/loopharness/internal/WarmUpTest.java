package dev.loopharness.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WarmUpTest {

    private static StackTraceElement frame(String type, String method) {
        return new StackTraceElement(type, method, "X.java", 1);
    }

    @Test
    void classLoadingStaticInitialisersAndAgentAttachmentAreOneTimeCosts() {
        StackTraceElement user = frame("com.example.FeedTest", "subscribes");
        assertThat(WarmUp.explains(new StackTraceElement[] {frame("java.lang.ClassLoader", "defineClass1"), user}))
                .isTrue();
        assertThat(WarmUp.explains(
                        new StackTraceElement[] {frame("jdk.internal.loader.BuiltinClassLoader", "loadClass"), user}))
                .isTrue();
        assertThat(WarmUp.explains(
                        new StackTraceElement[] {frame("net.bytebuddy.agent.ByteBuddyAgent", "installExternal"), user}))
                .isTrue();
        assertThat(WarmUp.explains(new StackTraceElement[] {frame("com.example.Prices", "<clinit>"), user}))
                .isTrue();
        assertThat(WarmUp.explains(new StackTraceElement[] {
                    frame("java.lang.invoke.InnerClassLambdaMetafactory", "spinInnerClass"), user
                }))
                .isTrue();
    }

    @Test
    void aBlockingCallIsNot() {
        assertThat(WarmUp.explains(new StackTraceElement[] {
                    frame("java.lang.Thread", "sleep"), frame("com.example.FeedTest", "subscribes")
                }))
                .isFalse();
        assertThat(WarmUp.explains(new StackTraceElement[0])).isFalse();
    }
}
