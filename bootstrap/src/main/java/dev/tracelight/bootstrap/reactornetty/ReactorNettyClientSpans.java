package dev.tracelight.bootstrap.reactornetty;

import dev.tracelight.bootstrap.http.HttpCall;
import dev.tracelight.bootstrap.http.HttpClientSpans;
import java.net.URI;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * CLIENT spans for Reactor Netty's {@code HttpClient}, and so for Spring's {@code WebClient} on it: one span per
 * subscription (Reactor Netty makes one request handler per subscription, on the subscribing thread, whose context is
 * the parent), covering redirects and the connection-reset retry; every request it sends carries the span's headers.
 * The span ends when the final response arrives or when the handler gives up with an error.
 */
public final class ReactorNettyClientSpans {
  private static final Map<Object, HttpCall> OPEN = Collections.synchronizedMap(new WeakHashMap<>());

  private ReactorNettyClientSpans() {}

  /** @param handler Reactor Netty's per-subscription request handler, the key for the calls below */
  public static void start(Object handler, String method, String url) {
    HttpCall call = HttpClientSpans.start(method, uri(url));
    if (call != null) {
      OPEN.put(handler, call);
    }
  }

  /** The headers to set on a request {@code handler} is about to send; empty when it is not traced. */
  public static Map<String, String> headers(Object handler) {
    HttpCall call = OPEN.get(handler);
    return call == null ? Map.of() : HttpClientSpans.headersFor(call);
  }

  /**
   * Ends the span of {@code handler}, once.
   *
   * @param status the final response's status, -1 without one
   * @param majorVersion the response's HTTP version, -1 without one
   */
  public static void end(Object handler, int status, int majorVersion, int minorVersion, Throwable error) {
    HttpCall call = OPEN.remove(handler);
    if (call != null) {
      HttpClientSpans.end(call, status, protocolVersion(majorVersion, minorVersion), error);
    }
  }

  /** {@code 1.1}, {@code 2} (HTTP/2 has no minor version in the conventions). */
  static String protocolVersion(int major, int minor) {
    if (major < 0) {
      return null;
    }
    return major >= 2 && minor == 0 ? Integer.toString(major) : major + "." + minor;
  }

  private static URI uri(String url) {
    try {
      return url == null ? null : URI.create(url);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
