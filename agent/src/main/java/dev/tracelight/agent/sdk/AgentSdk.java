package dev.tracelight.agent.sdk;

import dev.tracelight.bootstrap.AgentLog;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import java.util.Map;
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

  private AgentSdk(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
  }

  /**
   * Builds the SDK, or logs one line naming the bad setting and returns null (the application then runs untraced);
   * null too, silently, when the application is already exiting.
   */
  public static AgentSdk create(String agentVersion) {
    SdkLogBridge.install();
    AtomicReference<ConfigProperties> finalConfig = new AtomicReference<>();
    OpenTelemetrySdk sdk;
    try {
      sdk = AutoConfiguredOpenTelemetrySdk.builder()
          .setServiceClassLoader(AgentSdk.class.getClassLoader())
          // The spec's default; the Java SDK alone still defaults to grpc. Any user setting wins over this.
          .addPropertiesSupplier(() -> Map.of("otel.exporter.otlp.protocol", "http/protobuf"))
          .addResourceCustomizer((resource, config) -> {
            finalConfig.set(config);
            // detected first, so that OTEL_RESOURCE_ATTRIBUTES / OTEL_SERVICE_NAME win over detection
            return AgentResource.detect(agentVersion).merge(resource);
          })
          .addSpanExporterCustomizer((exporter, config) -> SuppressedExport.spans(exporter))
          .addMetricExporterCustomizer((exporter, config) -> SuppressedExport.metrics(exporter))
          .addLogRecordExporterCustomizer((exporter, config) -> SuppressedExport.logs(exporter))
          .disableShutdownHook()
          .build()
          .getOpenTelemetrySdk();
    } catch (RuntimeException e) {
      AgentLog.errorOnce("config", ConfigErrors.describe(e) + " The application runs untraced: fix or unset the "
          + "setting and restart.", null);
      return null;
    }
    String collector = tracesEndpoint(finalConfig.get());
    try {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> flush(sdk, collector), "tracelight-shutdown"));
    } catch (IllegalStateException exiting) { // the application ended while the SDK was built: nothing to send
      sdk.shutdown();
      return null;
    }
    return new AgentSdk(sdk);
  }

  /** For messages only: where spans go, as configured. */
  private static String tracesEndpoint(ConfigProperties config) {
    if (config == null) {
      return "the collector";
    }
    String endpoint = config.getString("otel.exporter.otlp.traces.endpoint",
        config.getString("otel.exporter.otlp.endpoint"));
    return endpoint == null ? "the collector (default endpoint)" : "the collector at " + endpoint;
  }

  public OpenTelemetry openTelemetry() {
    return sdk;
  }

  /**
   * Flushes and stops the SDK, waiting at most {@link #SHUTDOWN_TIMEOUT_SECONDS}. Shutdown blocks in places (the metric
   * reader's last export, retries to an unreachable collector), so it runs on a daemon thread the exit does not wait for.
   */
  private static void flush(OpenTelemetrySdk sdk, String collector) {
    Thread worker = new Thread(() -> sdk.shutdown().join(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS),
        "tracelight-flush");
    worker.setDaemon(true);
    worker.start();
    try {
      worker.join(TimeUnit.SECONDS.toMillis(SHUTDOWN_TIMEOUT_SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (worker.isAlive()) {
      AgentLog.warnOnce("shutdown", "telemetry not yet exported was dropped at exit: " + collector
          + " did not answer within " + SHUTDOWN_TIMEOUT_SECONDS + " s");
    }
  }
}
