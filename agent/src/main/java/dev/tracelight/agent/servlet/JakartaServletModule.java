package dev.tracelight.agent.servlet;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import java.util.List;

/**
 * SERVER spans for the {@code jakarta.servlet} API 5+ (Tomcat 10/11, Jetty 11/12, Undertow 2.3…); see {@link
 * ServletModule}.
 */
public final class JakartaServletModule extends InstrumentationModule {
  private static final String API = "jakarta.servlet";

  public JakartaServletModule() {
    super(ServletModule.NAME);
  }

  @Override
  public LibraryShape shape() {
    return ServletEntryInstrumentation.shape(API);
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new ServletEntryInstrumentation(API, "JakartaServletAdvice"));
  }
}
