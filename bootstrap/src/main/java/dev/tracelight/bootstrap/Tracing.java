package dev.tracelight.bootstrap;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;

/**
 * Where advice helpers find the agent's SDK. The SDK lives in the agent class loader; only its API view is here. Until
 * the agent installs it (and when the agent is off or misconfigured) everything is a no-op; while the agent is building
 * it, the first telemetry waits for it (see {@link SdkSlot}).
 */
public final class Tracing {
  public static final String INSTRUMENTATION_SCOPE = "dev.tracelight";
  /** Far longer than any SDK build (~0.3 s); reached only if the application holds something the build needs. */
  private static final long MAX_WAIT_MILLIS = 10_000;
  private static final SdkSlot SDK = new SdkSlot(MAX_WAIT_MILLIS);

  private Tracing() {}

  /** Announces that {@code sdkBuilder} is building the SDK: until it settles, telemetry on other threads waits. */
  public static void expect(Thread sdkBuilder) {
    SDK.expect(sdkBuilder);
  }

  /** Installs the agent's SDK and releases every thread waiting for it. */
  public static void install(OpenTelemetry sdk, String agentVersion) {
    SDK.install(sdk, agentVersion);
  }

  /** Ends the wait for an SDK that could not be built: everything stays a no-op. Harmless after {@link #install}. */
  public static void settle() {
    SDK.settle();
  }

  /** Runs {@code task} with the SDK installed: now if it is, else on the thread installing it; never without one. */
  public static void whenInstalled(Runnable task) {
    SDK.whenInstalled(task);
  }

  public static Tracer tracer() {
    return SDK.tracer();
  }

  public static TextMapPropagator propagator() {
    return SDK.openTelemetry().getPropagators().getTextMapPropagator();
  }

  public static OpenTelemetry openTelemetry() {
    return SDK.openTelemetry();
  }

  public static String version() {
    return SDK.version();
  }
}
