package dev.tracelight.agent.otelapi;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.otelapi.ApiBridge;
import java.util.List;

/**
 * An application's own OpenTelemetry API joined to the agent (see {@link ApiBridge}): its
 * {@code GlobalOpenTelemetry} and its context storage. Our own API is relocated, so only the application's is
 * matched. API 1.10 (the first with stable metrics) or newer: {@code getMeterProvider} and
 * {@code ContextStorage.root} say so.
 */
public final class OpenTelemetryApiModule extends InstrumentationModule {
  private static final LibraryShape SHAPE = LibraryShape.builder()
      .method(ApiBridge.GLOBAL_OPEN_TELEMETRY, "get", 0)
      .method(ApiBridge.GLOBAL_OPEN_TELEMETRY, "getMeterProvider", 0)
      .method(ApiBridge.OPEN_TELEMETRY, "getMeterProvider", 0)
      .method(ApiBridge.CONTEXT_STORAGE, "root", 0)
      .method(ApiBridge.LAZY_STORAGE, "createStorage", 1)
      .build();

  public OpenTelemetryApiModule() {
    super("opentelemetry-api");
  }

  @Override
  public LibraryShape shape() {
    return SHAPE;
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(ApiEntryInstrumentation.globalOpenTelemetry(), ApiEntryInstrumentation.contextStorage());
  }
}
