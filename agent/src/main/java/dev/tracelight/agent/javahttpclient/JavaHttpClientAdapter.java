package dev.tracelight.agent.javahttpclient;

import dev.tracelight.bootstrap.javahttpclient.JavaHttpClientBridge;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads and copies java.net.http objects for the bootstrap bridge, with the public API of Java 11. */
final class JavaHttpClientAdapter implements JavaHttpClientBridge.Adapter {
  private JavaHttpClientAdapter() {}

  static JavaHttpClientAdapter create() {
    return new JavaHttpClientAdapter();
  }

  /**
   * HttpRequest is immutable: the propagation headers go into a copy (Java 16's {@code newBuilder(request, filter)}
   * does the same, but we target 11). The caller's own request object is left untouched.
   */
  @Override
  public Object withHeaders(Object request, Map<String, String> headers) {
    HttpRequest original = (HttpRequest) request;
    HttpRequest.Builder copy = HttpRequest.newBuilder(original.uri()).expectContinue(original.expectContinue());
    String method = original.method();
    if (original.bodyPublisher().isPresent()) {
      copy.method(method, original.bodyPublisher().get());
    } else if ("GET".equals(method)) {
      copy.GET();
    } else if ("DELETE".equals(method)) {
      copy.DELETE();
    } else {
      copy.method(method, HttpRequest.BodyPublishers.noBody());
    }
    original.timeout().ifPresent(copy::timeout);
    original.version().ifPresent(copy::version);
    Set<String> replaced = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    replaced.addAll(headers.keySet());
    for (Map.Entry<String, List<String>> header : original.headers().map().entrySet()) {
      if (!replaced.contains(header.getKey())) {
        for (String value : header.getValue()) {
          copy.header(header.getKey(), value);
        }
      }
    }
    headers.forEach(copy::setHeader);
    return copy.build();
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
