package dev.tracelight.agent.apachehttpclient5;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import java.util.List;

/**
 * CLIENT spans for Apache HttpClient 5 (5.0+): classic ({@code CloseableHttpClient}, which Spring's
 * {@code RestTemplate}/{@code RestClient} use through {@code HttpComponentsClientHttpRequestFactory}) and async
 * ({@code CloseableHttpAsyncClient}).
 */
public final class ApacheHttpClient5Module extends InstrumentationModule {
  private static final LibraryShape SHAPE = LibraryShape.builder()
      .method(ClassicClientInstrumentation.INTERNAL_CLIENT, "doExecute", 3)
      .method("org.apache.hc.core5.http.HttpHost", "toURI", 0)
      .method("org.apache.hc.core5.http.HttpRequest", "getRequestUri", 0)
      .method("org.apache.hc.core5.http.HttpRequest", "getAuthority", 0)
      .method("org.apache.hc.core5.http.HttpResponse", "getCode", 0)
      .method(AsyncClientInstrumentation.ASYNC_CLIENT, "doExecute", 6)
      .type("org.apache.hc.core5.http.nio.RequestChannel")
      .build();

  public ApacheHttpClient5Module() {
    super("apache-httpclient-5");
  }

  @Override
  public LibraryShape shape() {
    return SHAPE;
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new ClassicClientInstrumentation(), new AsyncClientInstrumentation());
  }
}
