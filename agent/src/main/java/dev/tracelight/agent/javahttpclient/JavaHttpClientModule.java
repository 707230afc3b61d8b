package dev.tracelight.agent.javahttpclient;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.javahttpclient.JavaHttpClientBridge;
import java.util.List;

/** CLIENT spans for {@code java.net.http.HttpClient} (Java 11+), send and sendAsync alike. */
public final class JavaHttpClientModule extends InstrumentationModule {
  // send(), sendAsync() and the facade all funnel into this private method of the JDK's implementation.
  private static final LibraryShape SHAPE = LibraryShape.builder()
      .method("jdk.internal.net.http.HttpClientImpl", "sendAsync", 4)
      .build();

  public JavaHttpClientModule() {
    super("java-http-client");
  }

  @Override
  public LibraryShape shape() {
    return SHAPE;
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new HttpClientImplInstrumentation());
  }

  @Override
  public void install() {
    JavaHttpClientBridge.install(JavaHttpClientAdapter.create());
  }
}
