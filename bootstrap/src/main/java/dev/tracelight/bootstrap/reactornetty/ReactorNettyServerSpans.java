package dev.tracelight.bootstrap.reactornetty;

import dev.tracelight.bootstrap.http.HttpCall;
import dev.tracelight.bootstrap.http.HttpServerSpans;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * SERVER spans for Reactor Netty's {@code HttpServer} (and so WebFlux on it). The span starts when the request is
 * handed to the application's handler and is current while the handler assembles and subscribes its publisher (the
 * reactor module carries it on from there); it ends when Reactor Netty terminates the request's operations: after
 * the last byte of the response was flushed, or when the connection closed before that (no status then).
 *
 * <p>Requests are keyed by their operations object (one per request, HTTP/2 streams included), not by the channel:
 * on a keep-alive connection the next request can start before the previous one's last write completed.
 */
public final class ReactorNettyServerSpans {
  private static final ContextKey<Exchange> EXCHANGE = ContextKey.named("tracelight-reactor-netty-server");
  private static final Map<Object, Exchange> OPEN = Collections.synchronizedMap(new WeakHashMap<>());

  private ReactorNettyServerSpans() {}

  /**
   * Starts the span of {@code request} and makes it current; returns the scope to close when the handler returned,
   * or null when the request is not traced.
   *
   * @param headers the request's headers (Netty's {@code HttpHeaders} is such an Iterable)
   * @param target the request target as received, e.g. {@code /users/7?x=1}
   */
  public static Scope start(Object request, Iterable<Map.Entry<String, String>> headers, String method,
      String scheme, String target, String protocol, InetSocketAddress local) {
    HttpCall call = HttpServerSpans.start(wanted(headers, HttpServerSpans.requestHeaderNames()), method, scheme,
        uri(target), protocol, local, null);
    if (call == null) {
      return null;
    }
    // the span's own scope gives way to one whose context also finds the exchange (WebFlux records errors there)
    call.closeScope();
    Exchange exchange = new Exchange(call);
    exchange.context = call.context().with(EXCHANGE, exchange);
    OPEN.put(request, exchange);
    return exchange.context.makeCurrent();
  }

  /**
   * Ends the span of {@code request}, once.
   *
   * @param status the response status, -1 when no response was sent (the connection closed first)
   */
  public static void end(Object request, int status, Iterable<Map.Entry<String, String>> responseHeaders) {
    Exchange exchange = OPEN.remove(request);
    if (exchange == null) {
      return;
    }
    Throwable error = exchange.error;
    if (error != null && status > 0 && status < 500) {
      // the framework answered it with a client error: an event, not a server failure
      try (Scope ignored = exchange.context.makeCurrent()) {
        HttpServerSpans.recordException(error);
      }
      error = null;
    }
    List<String> names = HttpServerSpans.responseHeaderNames();
    HttpServerSpans.end(exchange.call, status, error,
        names.isEmpty() || responseHeaders == null ? null : wanted(responseHeaders, names));
  }

  /**
   * A framework saw the request fail with {@code error} (the first one counts); it is recorded when the span ends,
   * with the status the response then has. Returns false when {@code context} holds no Reactor Netty request.
   */
  public static boolean recordError(Context context, Throwable error) {
    Exchange exchange = context == null ? null : context.get(EXCHANGE);
    if (exchange == null) {
      return false;
    }
    synchronized (exchange) {
      if (exchange.error == null) {
        exchange.error = error;
      }
    }
    return true;
  }

  static URI uri(String target) {
    try {
      return target == null ? null : new URI(target);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /** The headers among {@code names} (lower case), values in order, keys lower-cased. */
  static Map<String, List<String>> wanted(Iterable<Map.Entry<String, String>> headers, List<String> names) {
    Map<String, List<String>> wanted = new HashMap<>();
    if (headers == null) {
      return wanted;
    }
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (names.contains(name)) {
        wanted.computeIfAbsent(name, n -> new ArrayList<>(1)).add(header.getValue());
      }
    }
    return wanted;
  }

  private static final class Exchange {
    final HttpCall call;
    Context context;
    volatile Throwable error;

    Exchange(HttpCall call) {
      this.call = call;
    }
  }
}
