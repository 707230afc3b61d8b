package dev.tracelight.bootstrap;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;

/**
 * Where advice helpers find the agent's SDK. The agent installs it once at start-up; until then (and when the agent is
 * off or misconfigured) everything is a no-op. The SDK lives in the agent class loader; only its API view is here.
 */
public final class Tracing {
  public static final String INSTRUMENTATION_SCOPE = "dev.tracelight";

  private static volatile OpenTelemetry openTelemetry = OpenTelemetry.noop();
  private static volatile Tracer tracer = openTelemetry.getTracer(INSTRUMENTATION_SCOPE);
  private static volatile String version = "unknown";

  private Tracing() {}

  public static void install(OpenTelemetry sdk, String agentVersion) {
    openTelemetry = sdk;
    version = agentVersion;
    tracer = sdk.getTracerProvider().tracerBuilder(INSTRUMENTATION_SCOPE).setInstrumentationVersion(agentVersion).build();
  }

  public static Tracer tracer() {
    return tracer;
  }

  public static TextMapPropagator propagator() {
    return openTelemetry.getPropagators().getTextMapPropagator();
  }

  public static OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  public static String version() {
    return version;
  }
}
