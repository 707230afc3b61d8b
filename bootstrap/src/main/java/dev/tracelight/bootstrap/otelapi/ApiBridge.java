package dev.tracelight.bootstrap.otelapi;

import dev.tracelight.bootstrap.AgentLog;
import dev.tracelight.bootstrap.Tracing;
import java.util.Optional;

/**
 * Joins an application's own OpenTelemetry API (1.10 or newer, in its own class loader) to the agent: its
 * {@code GlobalOpenTelemetry} is the agent's SDK (traces, metrics, logs, propagators) and its {@code ContextStorage}
 * is the agent's context, so spans, baggage and the application's own context values are shared both ways. Built
 * from JDK proxies of the application's interfaces ({@link ApplicationApi}, {@link ContextBridge}): no class of ours
 * is defined in its loader. Each entry point returns null (the application's API then runs as if alone) when the
 * bridge cannot be built for that loader.
 */
public final class ApiBridge {
  static final String API = String.join(".", "io", "opentelemetry", "api");
  public static final String GLOBAL_OPEN_TELEMETRY = API + ".GlobalOpenTelemetry";
  public static final String OPEN_TELEMETRY = API + ".OpenTelemetry";
  public static final String CONTEXT_STORAGE = String.join(".", "io", "opentelemetry", "context", "ContextStorage");
  public static final String LAZY_STORAGE = String.join(".", "io", "opentelemetry", "context", "LazyStorage");

  // One bridge per application loader: keyed by that loader's Context interface; values live as long as the class.
  private static final ClassValue<ApplicationApi> BY_CONTEXT_TYPE = new ClassValue<>() {
    @Override
    protected ApplicationApi computeValue(Class<?> contextType) {
      return ApplicationApi.create(contextType.getClassLoader());
    }
  };
  // Failures are kept too (empty), so a loader whose API cannot be joined costs one attempt and one line.
  private static final ClassValue<Optional<ApplicationApi>> BY_API_CLASS = new ClassValue<>() {
    @Override
    protected Optional<ApplicationApi> computeValue(Class<?> apiClass) {
      try {
        return Optional.of(BY_CONTEXT_TYPE.get(Class.forName(ApplicationApi.PREFIX + "context.Context", false,
            apiClass.getClassLoader())));
      } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
        AgentLog.warnOnce("otelapi:" + apiClass.getClassLoader(),
            "the application's OpenTelemetry API is not joined to the agent (unexpected shape)", e);
        return Optional.empty();
      }
    }
  };

  private ApiBridge() {}

  /** What {@code GlobalOpenTelemetry.get()}/{@code getOrNoop()} return, instead of running: the agent's view. */
  public static Object openTelemetry(Class<?> globalOpenTelemetry) {
    ApplicationApi api = api(globalOpenTelemetry);
    return api == null ? null : api.openTelemetry(Tracing.openTelemetry());
  }

  /** The application's ContextStorage in place of {@code applicationDefault}: the agent's context. */
  public static Object contextStorage(Class<?> lazyStorage, Object applicationDefault) {
    ApplicationApi api = api(lazyStorage);
    return api == null ? applicationDefault : api.contexts.storage();
  }

  /**
   * Whether {@code GlobalOpenTelemetry.set(...)} is skipped: the agent's SDK stays the global one (as with the official
   * agent), said once at WARN. The application can still use an SDK it built directly.
   */
  public static boolean ignoreGlobalSet(Class<?> globalOpenTelemetry) {
    if (api(globalOpenTelemetry) == null) {
      return false;
    }
    AgentLog.warnOnce("otelapi-set:" + globalOpenTelemetry.getClassLoader(),
        "GlobalOpenTelemetry.set(...) called by the application is ignored: the agent's SDK is the global "
            + "OpenTelemetry (configure it with OTEL_* variables); an SDK the application built still works when "
            + "used directly");
    return true;
  }

  private static ApplicationApi api(Class<?> apiClass) {
    return BY_API_CLASS.get(apiClass).orElse(null);
  }
}
