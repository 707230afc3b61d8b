package dev.tracelight.agent.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfigErrorsTest {
  @Test
  void namesTheEnvironmentVariableWhenNoPropertyIsSet() {
    assertThat(ConfigErrors.describe(new IllegalArgumentException(
        "Unrecognized value for otel.exporter.otlp.traces.protocol: carrier-pigeon")))
        .startsWith("invalid setting OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
        .endsWith(": Unrecognized value for otel.exporter.otlp.traces.protocol: carrier-pigeon.");
  }

  @Test
  void namesTheSystemPropertyWhenThatIsWhatWasSet() {
    System.setProperty("otel.test.only.setting", "nine");
    try {
      assertThat(ConfigErrors.describe(new IllegalArgumentException("Invalid value for otel.test.only.setting")))
          .isEqualTo("invalid setting -Dotel.test.only.setting=nine: Invalid value for otel.test.only.setting.");
    } finally {
      System.clearProperty("otel.test.only.setting");
    }
  }

  @Test
  void keepsAMessageThatNamesNoSetting() {
    assertThat(ConfigErrors.describe(new IllegalStateException("boom")))
        .isEqualTo("invalid OpenTelemetry configuration: boom.");
  }
}
