package dev.tracelight.bootstrap.http;

/** The spec's known methods; anything else is reported as {@code _OTHER} so span names stay low-cardinality. */
final class HttpMethod {
  static final String OTHER = "_OTHER";

  private HttpMethod() {}

  /** The known method as a constant (so that later comparisons of it are by identity), else {@code _OTHER}. */
  static String normalize(String method) {
    if (method == null) {
      return OTHER;
    }
    switch (method) {
      case "GET":
        return "GET";
      case "HEAD":
        return "HEAD";
      case "POST":
        return "POST";
      case "PUT":
        return "PUT";
      case "DELETE":
        return "DELETE";
      case "CONNECT":
        return "CONNECT";
      case "OPTIONS":
        return "OPTIONS";
      case "TRACE":
        return "TRACE";
      case "PATCH":
        return "PATCH";
      case "QUERY":
        return "QUERY";
      default:
        return OTHER;
    }
  }

  /** Span name per the spec: {@code {method} {route}}, {@code {method}}, or {@code HTTP} for unknown methods. */
  static String spanName(String normalizedMethod, String route) {
    String base = OTHER.equals(normalizedMethod) ? "HTTP" : normalizedMethod;
    return route == null ? base : base + " " + route;
  }
}
