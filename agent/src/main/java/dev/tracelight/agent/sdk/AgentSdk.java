package dev.tracelight.agent.sdk;

import dev.tracelight.bootstrap.AgentLog;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The agent's SDK, configured by the SDK's own autoconfigure from the standard {@code OTEL_*} variables and
 * {@code otel.*} properties, with their standard defaults. Adds our resource attributes and a bounded flush at exit.
 */
public final class AgentSdk {
  /** How long the JVM's exit may wait for the last spans to be exported. */
  static final long SHUTDOWN_TIMEOUT_SECONDS = 5;

  private final OpenTelemetrySdk sdk;
  private final ConfigProperties config;

  private AgentSdk(OpenTelemetrySdk sdk, ConfigProperties config) {
    this.sdk = sdk;
    this.config = config;
  }

  /** Builds the SDK, or logs one line naming the bad setting and returns null (the application then runs untraced). */
  public static AgentSdk create(String agentVersion) {
    SdkLogBridge.install();
    AtomicReference<ConfigProperties> finalConfig = new AtomicReference<>();
    OpenTelemetrySdk sdk;
    try {
      sdk = AutoConfiguredOpenTelemetrySdk.builder()
          .setServiceClassLoader(AgentSdk.class.getClassLoader())
          .addResourceCustomizer((resource, config) -> {
            finalConfig.set(config);
            // detected first, so that OTEL_RESOURCE_ATTRIBUTES / OTEL_SERVICE_NAME win over detection
            return AgentResource.detect(agentVersion).merge(resource);
          })
          .addSpanExporterCustomizer((exporter, config) -> SuppressingSpanExporter.wrap(exporter))
          .disableShutdownHook()
          .build()
          .getOpenTelemetrySdk();
    } catch (RuntimeException e) {
      AgentLog.errorOnce("config", ConfigErrors.describe(e) + " The application runs untraced: fix or unset the "
          + "setting and restart.", null);
      return null;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> flush(sdk), "tracelight-shutdown"));
    return new AgentSdk(sdk, finalConfig.get());
  }

  public OpenTelemetry openTelemetry() {
    return sdk;
  }

  public ConfigProperties config() {
    return config;
  }

  private static void flush(OpenTelemetrySdk sdk) {
    if (!sdk.shutdown().join(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS).isSuccess()) {
      AgentLog.warnOnce("shutdown", "some telemetry was not exported before exit (exporter unreachable or slow)");
    }
  }
}
