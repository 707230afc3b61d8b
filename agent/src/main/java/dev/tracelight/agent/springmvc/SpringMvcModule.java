package dev.tracelight.agent.springmvc;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import java.util.List;

/**
 * Spring MVC 5 ({@code javax.servlet}): the matched pattern names the servlet's SERVER span ({@code GET /users/{id}})
 * and goes on {@code http.route}; exceptions the framework resolves itself are recorded on it. {@link
 * JakartaSpringMvcModule} is the twin for Spring 6+. Both answer to {@code OTEL_INSTRUMENTATION_SPRING_WEBMVC_ENABLED}.
 */
public final class SpringMvcModule extends InstrumentationModule {
  static final String NAME = "spring-webmvc";
  private static final String API = "javax.servlet";

  public SpringMvcModule() {
    super(NAME);
  }

  @Override
  public LibraryShape shape() {
    return DispatcherServletInstrumentation.shape(API);
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new DispatcherServletInstrumentation(API, "Javax"));
  }
}
