package dev.tracelight.agent.log4j;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import java.util.List;

/** {@code trace_id}, {@code span_id}, {@code trace_flags} in every Log4j 2 event's context data while a span is current. */
public final class Log4jContextDataModule extends InstrumentationModule {
  static final LibraryShape SHAPE = LibraryShape.builder()
      .method("org.apache.logging.log4j.core.impl.ThreadContextDataInjector$ForDefaultThreadContextMap",
          "injectContextData", 2)
      .method("org.apache.logging.log4j.core.impl.ContextDataFactory", "createContextData", 1)
      .method("org.apache.logging.log4j.core.Logger", "logMessage", 5)
      .build();

  public Log4jContextDataModule() {
    super("log4j-context-data");
  }

  @Override
  public LibraryShape shape() {
    return SHAPE;
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new ContextDataInjectorInstrumentation());
  }
}
