package dev.tracelight.agent.logback;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import java.util.List;

/** {@code trace_id}, {@code span_id}, {@code trace_flags} in every Logback event's MDC while a span is current. */
public final class LogbackMdcModule extends InstrumentationModule {
  static final LibraryShape SHAPE = LibraryShape.builder()
      .method("ch.qos.logback.classic.spi.LoggingEvent", "getMDCPropertyMap", 0)
      .method("ch.qos.logback.classic.Logger", "callAppenders", 1)
      .build();

  public LogbackMdcModule() {
    super("logback-mdc");
  }

  @Override
  public LibraryShape shape() {
    return SHAPE;
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new LoggingEventInstrumentation());
  }
}
