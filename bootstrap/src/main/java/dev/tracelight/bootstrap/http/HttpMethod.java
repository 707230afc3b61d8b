package dev.tracelight.bootstrap.http;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/** The spec's known methods; anything else is reported as {@code _OTHER} so span names stay low-cardinality. */
final class HttpMethod {
  static final String OTHER = "_OTHER";
  private static final Set<String> KNOWN = new HashSet<>(
      Arrays.asList("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "QUERY"));

  private HttpMethod() {}

  static String normalize(String method) {
    return method != null && KNOWN.contains(method) ? method : OTHER;
  }

  /** Span name per the spec: {@code {method} {route}}, {@code {method}}, or {@code HTTP} for unknown methods. */
  static String spanName(String normalizedMethod, String route) {
    String base = OTHER.equals(normalizedMethod) ? "HTTP" : normalizedMethod;
    return route == null ? base : base + " " + route;
  }
}
