package dev.tracelight.agent.javahttpclient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * The application's request with the propagation headers added: everything else is read from the original. HttpClient
 * copies any request it is given (HttpRequestImpl) and validates its headers then, so this view costs one header map,
 * where rebuilding the request through {@code HttpRequest.newBuilder} cost a builder, two header maps and a
 * validation of every header and of the URI.
 */
final class PropagatingRequest extends HttpRequest {
  private static final BiPredicate<String, String> ALL = (name, value) -> true;

  private final HttpRequest original;
  private final HttpHeaders headers;

  private PropagatingRequest(HttpRequest original, HttpHeaders headers) {
    this.original = original;
    this.headers = headers;
  }

  /** {@code added} replace the original's headers of the same name (in any case). */
  static PropagatingRequest of(HttpRequest original, Map<String, String> added) {
    Map<String, List<String>> originalHeaders = original.headers().map();
    Map<String, List<String>> merged = new HashMap<>(2 * (originalHeaders.size() + added.size()));
    for (Map.Entry<String, List<String>> header : originalHeaders.entrySet()) {
      if (!replaced(header.getKey(), added)) {
        merged.put(header.getKey(), header.getValue());
      }
    }
    for (Map.Entry<String, String> header : added.entrySet()) {
      merged.put(header.getKey(), List.of(header.getValue()));
    }
    return new PropagatingRequest(original, HttpHeaders.of(merged, ALL));
  }

  @Override
  public Optional<BodyPublisher> bodyPublisher() {
    return original.bodyPublisher();
  }

  @Override
  public String method() {
    return original.method();
  }

  @Override
  public Optional<Duration> timeout() {
    return original.timeout();
  }

  @Override
  public boolean expectContinue() {
    return original.expectContinue();
  }

  @Override
  public URI uri() {
    return original.uri();
  }

  @Override
  public Optional<HttpClient.Version> version() {
    return original.version();
  }

  @Override
  public HttpHeaders headers() {
    return headers;
  }

  @Override
  public String toString() {
    return original.toString();
  }

  private static boolean replaced(String name, Map<String, String> added) {
    for (String addedName : added.keySet()) {
      if (addedName.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }
}
