package dev.tracelight.agent.httpurlconnection;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import java.util.List;

/** CLIENT spans for {@code java.net.HttpURLConnection} over the JDK's http/https handler. */
public final class HttpUrlConnectionModule extends InstrumentationModule {
  private static final LibraryShape SHAPE = LibraryShape.builder()
      .method("sun.net.www.protocol.http.HttpURLConnection", "connect", 0)
      .method("sun.net.www.protocol.http.HttpURLConnection", "getOutputStream", 0)
      .method("sun.net.www.protocol.http.HttpURLConnection", "getInputStream", 0)
      .build();

  public HttpUrlConnectionModule() {
    super("http-url-connection");
  }

  @Override
  public LibraryShape shape() {
    return SHAPE;
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new HttpUrlConnectionInstrumentation(), new ResponseCodeInstrumentation());
  }
}
