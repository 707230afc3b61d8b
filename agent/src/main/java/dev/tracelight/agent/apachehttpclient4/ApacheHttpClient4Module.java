package dev.tracelight.agent.apachehttpclient4;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import java.util.List;

/** CLIENT spans for Apache HttpClient 4.3+ ({@code HttpClientBuilder}/{@code HttpClients} clients). */
public final class ApacheHttpClient4Module extends InstrumentationModule {
  private static final LibraryShape SHAPE = LibraryShape.builder()
      .method(ClassicClientInstrumentation.INTERNAL_CLIENT, "doExecute", 3)
      .method("org.apache.http.HttpHost", "toURI", 0)
      .method("org.apache.http.HttpRequest", "getRequestLine", 0)
      .method("org.apache.http.HttpResponse", "getStatusLine", 0)
      .build();

  public ApacheHttpClient4Module() {
    super("apache-httpclient-4");
  }

  @Override
  public LibraryShape shape() {
    return SHAPE;
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new ClassicClientInstrumentation());
  }
}
