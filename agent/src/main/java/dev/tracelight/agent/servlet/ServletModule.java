package dev.tracelight.agent.servlet;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import java.util.List;

/**
 * SERVER spans for the {@code javax.servlet} API 3.0+ (Tomcat 9, Jetty 9/10, Undertow 2.x…); {@link
 * JakartaServletModule} is its twin for {@code jakarta.servlet}. Both answer to
 * {@code OTEL_INSTRUMENTATION_SERVLET_ENABLED}.
 */
public final class ServletModule extends InstrumentationModule {
  static final String NAME = "servlet";
  private static final String API = "javax.servlet";

  public ServletModule() {
    super(NAME);
  }

  @Override
  public LibraryShape shape() {
    return ServletEntryInstrumentation.shape(API);
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new ServletEntryInstrumentation(API, "JavaxServletAdvice"));
  }
}
