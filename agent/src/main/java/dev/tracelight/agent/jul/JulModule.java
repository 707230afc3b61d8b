package dev.tracelight.agent.jul;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import java.util.List;

/**
 * java.util.logging records that pass their logger's level become OpenTelemetry log records, exported when
 * {@code OTEL_LOGS_EXPORTER} is otlp (the default). JUL has no MDC, so there is no correlation part.
 */
public final class JulModule extends InstrumentationModule {
  private static final LibraryShape SHAPE = LibraryShape.builder()
      .method("java.util.logging.Logger", "log", 1)
      .build();

  public JulModule() {
    super("java-util-logging");
  }

  @Override
  public LibraryShape shape() {
    return SHAPE;
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new LoggerInstrumentation());
  }
}
