package dev.tracelight.agent.springwebflux;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import java.util.List;

/**
 * Spring WebFlux 5.3+ on the server: the matched pattern of annotated controllers and functional routes names the
 * SERVER span ({@code GET /users/{id}}) and goes on {@code http.route}; an unhandled handler error is recorded on it.
 * The span itself comes from the server below (Reactor Netty, or a servlet container); WebClient's CLIENT spans come
 * from the {@code reactor-netty} module (or the module of whichever client its connector uses).
 */
public final class SpringWebFluxModule extends InstrumentationModule {
  private static final LibraryShape SHAPE = LibraryShape.builder()
      .method(DispatcherHandlerInstrumentation.DISPATCHER_HANDLER, "handle", 1)
      .type("org.springframework.web.reactive.HandlerMapping")
      .method("reactor.core.publisher.Mono", "doOnError", 1)
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
    return List.of(new DispatcherHandlerInstrumentation());
  }
}
