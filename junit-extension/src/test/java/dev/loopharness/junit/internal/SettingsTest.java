package dev.loopharness.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SettingsTest {

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "30s, PT30S", "2m, PT2M", "1h, PT1H", "PT45S, PT45S", "pt1m30s, PT1M30S", " 7s , PT7S"
    })
    void timeoutsAreReadInEveryDocumentedForm(String text, String expected) {
        assertThat(Settings.parseTimeout("loopharness.timeout", text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "", "10", "10x", "ms", "P1Y"})
    void aTimeoutInNoDocumentedFormIsRefusedNamingTheSourceTheValueAndTheForms(String text) {
        assertThatThrownBy(() -> Settings.parseTimeout("loopharness.timeout", text))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("loopharness.timeout = '" + text + "' is not valid; allowed: " + Messages.TIMEOUT_FORMS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "-5s", "PT0S", "PT-1S"})
    void aTimeoutMustBePositive(String text) {
        assertThatThrownBy(() -> Settings.parseTimeout("@WithEventLoop(timeout)", text))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@WithEventLoop(timeout) = '" + text + "' is not valid; allowed: a positive duration: "
                        + Messages.TIMEOUT_FORMS);
    }
}
