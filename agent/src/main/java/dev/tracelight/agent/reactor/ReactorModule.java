package dev.tracelight.agent.reactor;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import java.util.List;

/**
 * Context across Reactor (3.4+) operators: the context current when a subscriber subscribes is current again for
 * every signal it gets, on whatever thread (see {@code bootstrap/reactor/ContextSubscribers}).
 */
public final class ReactorModule extends InstrumentationModule {
  private static final LibraryShape SHAPE = LibraryShape.builder()
      .method(HooksInstrumentation.HOOKS, "onEachOperator", 2)
      .method(HooksInstrumentation.HOOKS, "resetOnEachOperator", 0)
      .method("reactor.core.publisher.Operators", "lift", 1)
      .type("reactor.core.CoreSubscriber")
      .build();

  public ReactorModule() {
    super("reactor");
  }

  @Override
  public LibraryShape shape() {
    return SHAPE;
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new HooksInstrumentation());
  }
}
