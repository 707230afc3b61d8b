package dev.tracelight.agent.springwebflux;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import java.util.List;

/** CLIENT spans for Spring's {@code WebClient} on Reactor Netty (Spring 5.3+), through its connector. */
public final class SpringWebFluxModule extends InstrumentationModule {
  private static final LibraryShape SHAPE = LibraryShape.builder()
      .method(ReactorClientHttpConnectorInstrumentation.CONNECTOR, "connect", 3)
      .type("org.springframework.http.client.reactive.ClientHttpRequest")
      .method("reactor.core.publisher.Mono", "doOnSuccess", 1)
      .method("reactor.core.publisher.Mono", "doOnCancel", 1)
      .build();

  public SpringWebFluxModule() {
    super("spring-webflux");
  }

  @Override
  public LibraryShape shape() {
    return SHAPE;
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new ReactorClientHttpConnectorInstrumentation());
  }
}
