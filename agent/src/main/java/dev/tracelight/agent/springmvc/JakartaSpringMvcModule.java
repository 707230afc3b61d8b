package dev.tracelight.agent.springmvc;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import java.util.List;

/** Spring MVC 6+ ({@code jakarta.servlet}); see {@link SpringMvcModule}. */
public final class JakartaSpringMvcModule extends InstrumentationModule {
  private static final String API = "jakarta.servlet";

  public JakartaSpringMvcModule() {
    super(SpringMvcModule.NAME);
  }

  @Override
  public LibraryShape shape() {
    return DispatcherServletInstrumentation.shape(API);
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new DispatcherServletInstrumentation(API, "Jakarta"));
  }
}
