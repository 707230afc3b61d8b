package dev.tracelight.agent.otelapi;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.otelapi.ApiBridge;
import java.util.List;

/**
 * An application's own OpenTelemetry API 1.x joined to the agent: {@code GlobalOpenTelemetry.get()} and
 * {@code Span.current()} (see {@link ApiBridge}). Our own API is relocated, so only the application's is matched.
 */
public final class OpenTelemetryApiModule extends InstrumentationModule {
  private static final LibraryShape SHAPE = LibraryShape.builder()
      .method(ApiBridge.GLOBAL_OPEN_TELEMETRY, "get", 0)
      .method(ApiBridge.SPAN, "current", 0)
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
    return List.of(new ApiEntryInstrumentation(ApiBridge.GLOBAL_OPEN_TELEMETRY, "get", "$GlobalGetAdvice"),
        new ApiEntryInstrumentation(ApiBridge.SPAN, "current", "$SpanCurrentAdvice"));
  }
}
