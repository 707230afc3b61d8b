package dev.tracelight.agent.annotations;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.annotations.WithSpanCalls;
import java.util.List;

/**
 * INTERNAL (or the annotation's kind) spans for methods annotated {@code @WithSpan}, attributes from
 * {@code @SpanAttribute} parameters. Applies only in class loaders that see the annotation; the agent itself does not
 * carry it.
 */
public final class WithSpanModule extends InstrumentationModule {
  private static final LibraryShape SHAPE = LibraryShape.builder().type(WithSpanCalls.WITH_SPAN).build();

  public WithSpanModule() {
    super("opentelemetry-instrumentation-annotations");
  }

  @Override
  public LibraryShape shape() {
    return SHAPE;
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new WithSpanInstrumentation());
  }
}
