package dev.tracelight.bootstrap.http;

import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The request headers a server span reads ({@link HttpServerSpans#requestHeaderNames()}), taken from the library's map
 * in one pass whatever the case of their names. Looking each name up instead cost a scan of the map per absent header
 * (traceparent on a root request, baggage, forwarded…), and the JDK server's {@code Headers.get} copies and re-cases
 * the name on every call: about twenty lookups per span, the agent's largest cost on the request thread.
 */
final class RequestHeaders implements BiConsumer<String, List<String>> {
  static final TextMapGetter<RequestHeaders> GETTER = new Getter();

  private final Map<String, List<String>> headers;
  private final String[] names;
  private final Object[] values;

  private RequestHeaders(Map<String, List<String>> headers, String[] names) {
    this.headers = headers;
    this.names = names;
    this.values = new Object[names.length];
  }

  /** @param names lower case, as {@link HttpServerSpans#requestHeaderNames()} gives them */
  static RequestHeaders of(Map<String, List<String>> headers, String[] names) {
    RequestHeaders wanted = new RequestHeaders(headers, names);
    if (headers != null) {
      headers.forEach(wanted);
    }
    return wanted;
  }

  /** One header of the library's map: kept when it is one of the names (an exact-case match wins over another). */
  @Override
  public void accept(String name, List<String> value) {
    if (name == null) {
      return;
    }
    for (int i = 0; i < names.length; i++) {
      String wanted = names[i];
      if (wanted.equalsIgnoreCase(name)) {
        if (values[i] == null || wanted.equals(name)) {
          values[i] = value;
        }
        return;
      }
    }
  }

  /** All values of the header {@code name} (any case), or null when the request has none. */
  @SuppressWarnings("unchecked")
  List<String> all(String name) {
    // the propagators' field names and ours are mostly the very strings of the list: identity first
    for (int i = 0; i < names.length; i++) {
      if (names[i] == name) {
        return (List<String>) values[i];
      }
    }
    for (int i = 0; i < names.length; i++) {
      if (names[i].equalsIgnoreCase(name)) {
        return (List<String>) values[i];
      }
    }
    // a name outside the list, e.g. a custom propagator reading more than its fields()
    return HeaderLookup.all(headers, name);
  }

  /** The first value of the header {@code name} (any case), or null. */
  String first(String name) {
    List<String> all = all(name);
    return all == null || all.isEmpty() ? null : all.get(0);
  }

  private static final class Getter implements TextMapGetter<RequestHeaders> {
    @Override
    public Iterable<String> keys(RequestHeaders carrier) {
      return carrier.headers == null ? List.of() : carrier.headers.keySet();
    }

    @Override
    public String get(RequestHeaders carrier, String key) {
      return carrier == null || key == null ? null : carrier.first(key);
    }
  }
}
