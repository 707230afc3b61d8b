package dev.tracelight.agent.javahttpclient;

import dev.tracelight.bootstrap.javahttpclient.JavaHttpClientBridge;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** Reads and copies java.net.http objects for the bootstrap bridge, with the public API of Java 11. */
final class JavaHttpClientAdapter implements JavaHttpClientBridge.Adapter {
  private JavaHttpClientAdapter() {}

  static JavaHttpClientAdapter create() {
    return new JavaHttpClientAdapter();
  }

  /** HttpRequest is immutable: the propagation headers go into a view of it; the caller's own object is untouched. */
  @Override
  public Object withHeaders(Object request, Map<String, String> headers) {
    return PropagatingRequest.of((HttpRequest) request, headers);
  }

  @Override
  public int statusCode(Object response) {
    return ((HttpResponse<?>) response).statusCode();
  }

  @Override
  public String protocolVersion(Object response) {
    return ((HttpResponse<?>) response).version() == HttpClient.Version.HTTP_2 ? "2" : "1.1";
  }
}
