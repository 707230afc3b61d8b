package dev.tracelight.bootstrap.otelapi;

import dev.tracelight.bootstrap.AgentLog;
import io.opentelemetry.api.trace.Span;

/**
 * Joins an application's own OpenTelemetry API (any 1.x, in its own class loader) to the agent's SDK and context:
 * {@code GlobalOpenTelemetry.get()} returns a view whose tracers make the agent's spans, and {@code Span.current()}
 * sees the agent's current span. The view is made of JDK proxies of the application's API interfaces
 * ({@link ApiProxies}), so no class of ours is defined in its loader; meters, logs and propagators stay the
 * application's own (no-op) ones.
 */
public final class ApiBridge {
  // Built at run time: the jar build relocates every "io.opentelemetry…" constant to our shaded package.
  static final String API = String.join(".", "io", "opentelemetry", "api");
  public static final String GLOBAL_OPEN_TELEMETRY = API + ".GlobalOpenTelemetry";
  public static final String SPAN = API + ".trace.Span";

  private static final ClassValue<ApiProxies> PROXIES = new ClassValue<>() {
    @Override
    protected ApiProxies computeValue(Class<?> anyApiClass) {
      return ApiProxies.create(anyApiClass.getClassLoader());
    }
  };

  private ApiBridge() {}

  /** What {@code GlobalOpenTelemetry.get()} returns instead of {@code applicationDefault}. */
  public static Object openTelemetry(Object applicationDefault) {
    ApiProxies proxies = proxies(applicationDefault);
    return proxies == null || proxies.isOurs(applicationDefault) ? applicationDefault
        : proxies.openTelemetry(applicationDefault);
  }

  /** What {@code Span.current()} returns: the agent's current span when there is one, else the application's. */
  public static Object currentSpan(Object applicationSpan) {
    Span current = Span.current();
    if (!current.getSpanContext().isValid()) {
      return applicationSpan;
    }
    ApiProxies proxies = proxies(applicationSpan);
    return proxies == null ? applicationSpan : proxies.span(current);
  }

  private static ApiProxies proxies(Object applicationObject) {
    if (applicationObject == null) {
      return null;
    }
    try {
      return PROXIES.get(applicationObject.getClass());
    } catch (RuntimeException | LinkageError e) {
      AgentLog.warnOnce("otelapi:" + applicationObject.getClass().getClassLoader(),
          "the application's OpenTelemetry API is not joined to the agent (unexpected shape)", e);
      return null;
    }
  }
}
