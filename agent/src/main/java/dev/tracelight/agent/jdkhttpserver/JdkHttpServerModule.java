package dev.tracelight.agent.jdkhttpserver;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import java.util.List;

/** SERVER spans for the JDK's built-in {@code com.sun.net.httpserver} (module jdk.httpserver, Java 6+ API). */
public final class JdkHttpServerModule extends InstrumentationModule {
  private static final LibraryShape SHAPE = LibraryShape.builder()
      .method("com.sun.net.httpserver.Filter$Chain", "doFilter", 1)
      .build();

  public JdkHttpServerModule() {
    super("java-http-server");
  }

  @Override
  public LibraryShape shape() {
    return SHAPE;
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new FilterChainInstrumentation());
  }
}
