package dev.tracelight.bootstrap.http;

import dev.tracelight.bootstrap.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * SERVER spans for any HTTP server library: the advice reads plain values from the library's request, this class
 * extracts the caller's context, names the span ({@code GET} or {@code GET /route}, never the raw path) and sets the
 * stable attributes.
 */
public final class HttpServerSpans {
  private static final ContextKey<HttpCall> SERVER_CALL = ContextKey.named("tracelight-http-server-call");
  private static volatile HeaderNames headerNames;
  // The Host header of the last request, parsed: a service mostly answers under one name.
  private static volatile HostHeader lastHost;

  private HttpServerSpans() {}

  /**
   * Starts the SERVER span and makes it current, or returns null when a server span is already current on this
   * thread (a handler chained inside another).
   *
   * @param headers request headers, names in any case; read once, for the names of {@link #requestHeaderNames()}
   * @param protocol as on the request line, e.g. {@code HTTP/1.1}
   * @param route the matched route template, or null when the library knows none
   */
  public static HttpCall start(Map<String, List<String>> headers, String method, String scheme, URI uri,
      String protocol, InetSocketAddress local, String route) {
    Context current = Context.current();
    if (current.get(SERVER_CALL) != null) {
      return null;
    }
    TextMapPropagator propagator = Tracing.propagator();
    RequestHeaders wanted = RequestHeaders.of(headers, headerNames(propagator).array);
    Context parent = propagator.extract(current, wanted, RequestHeaders.GETTER);
    String normalized = HttpMethod.normalize(method);
    SpanBuilder builder = Tracing.tracer().spanBuilder(HttpMethod.spanName(normalized, route))
        .setParent(parent)
        .setSpanKind(SpanKind.SERVER)
        .setAttribute(HttpAttributes.HTTP_REQUEST_METHOD, normalized)
        .setAttribute(HttpAttributes.URL_SCHEME, scheme);
    if (HttpMethod.OTHER.equals(normalized)) {
      builder.setAttribute(HttpAttributes.HTTP_REQUEST_METHOD_ORIGINAL, method);
    }
    if (uri != null) {
      builder.setAttribute(HttpAttributes.URL_PATH, uri.getRawPath());
      if (uri.getRawQuery() != null) {
        builder.setAttribute(HttpAttributes.URL_QUERY, RedactedUrl.query(uri.getRawQuery()));
      }
    }
    if (route != null) {
      builder.setAttribute(HttpAttributes.HTTP_ROUTE, route);
    }
    setServerAddress(builder, wanted.first("host"), local);
    String version = protocolVersion(protocol);
    if (version != null) {
      builder.setAttribute(HttpAttributes.NETWORK_PROTOCOL_VERSION, version);
    }
    String userAgent = wanted.first("user-agent");
    if (userAgent != null) {
      builder.setAttribute(HttpAttributes.USER_AGENT_ORIGINAL, userAgent);
    }
    String clientAddress =
        ServerRequestDetails.clientAddress(wanted.first("forwarded"), wanted.first("x-forwarded-for"));
    if (clientAddress != null) {
      builder.setAttribute(ServerRequestDetails.CLIENT_ADDRESS, clientAddress);
    }
    for (int i = 0; i < ServerRequestDetails.REQUEST_HEADERS.size(); i++) {
      List<String> values = wanted.all(ServerRequestDetails.REQUEST_HEADERS.get(i));
      if (values != null && !values.isEmpty()) {
        builder.setAttribute(ServerRequestDetails.REQUEST_HEADER_KEYS.get(i), values);
      }
    }
    Span span = builder.startSpan();
    HttpCall call = new HttpCall(span, parent.with(span));
    call.method = normalized;
    call.scheme = scheme;
    call.route = route;
    call.protocolVersion = version;
    call.context = call.context.with(SERVER_CALL, call);
    call.makeCurrent();
    return call;
  }

  /**
   * The header names a library that reads request headers one by one must pass to {@link #start} (lower case):
   * the propagator's fields, those the span reads, and those the user asked to capture.
   */
  public static List<String> requestHeaderNames() {
    return headerNames(Tracing.propagator()).names;
  }

  /** Header names to pass to {@link #end(HttpCall, int, Throwable, Map)}; empty unless the user asked for some. */
  public static List<String> responseHeaderNames() {
    return ServerRequestDetails.RESPONSE_HEADERS;
  }

  /**
   * The framework matched a route (e.g. Spring MVC's {@code /users/{id}}): it names the current server span and goes
   * on {@code http.route} of the span and the duration metric. No effect without a current server span.
   */
  public static void updateRoute(String route) {
    HttpCall call = Context.current().get(SERVER_CALL);
    if (call == null || route == null || route.isEmpty() || call.isEnded()) {
      return;
    }
    call.route = route;
    call.span.updateName(HttpMethod.spanName(call.method, route));
    call.span.setAttribute(HttpAttributes.HTTP_ROUTE, route);
  }

  /** A handler exception the framework turned into a response itself: recorded on the current server span. */
  public static void recordException(Throwable error) {
    HttpCall call = Context.current().get(SERVER_CALL);
    if (call != null && error != null && !call.isEnded()) {
      call.span.recordException(error);
    }
  }

  /** Ends the span; {@code statusCode} is -1 when no response was sent. Always closes the scope. */
  public static void end(HttpCall call, int statusCode, Throwable error) {
    end(call, statusCode, error, null);
  }

  /** Like {@link #end(HttpCall, int, Throwable)}, with the response headers named by {@link #responseHeaderNames}. */
  public static void end(HttpCall call, int statusCode, Throwable error, Map<String, List<String>> responseHeaders) {
    if (call == null) {
      return;
    }
    call.closeScope();
    if (!call.markEnded()) {
      return;
    }
    Span span = call.span;
    if (statusCode > 0) {
      span.setAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, BoxedLongs.of(statusCode));
    }
    String errorType = HttpSpanStatus.errorType(true, statusCode, error);
    if (errorType != null) {
      span.setAttribute(HttpAttributes.ERROR_TYPE, errorType);
    }
    if (HttpSpanStatus.isError(true, statusCode, error)) {
      span.setStatus(StatusCode.ERROR);
    }
    if (error != null) {
      span.recordException(error);
    }
    if (responseHeaders != null) {
      for (int i = 0; i < ServerRequestDetails.RESPONSE_HEADERS.size(); i++) {
        List<String> values = HeaderLookup.all(responseHeaders, ServerRequestDetails.RESPONSE_HEADERS.get(i));
        if (values != null && !values.isEmpty()) {
          span.setAttribute(ServerRequestDetails.RESPONSE_HEADER_KEYS.get(i), values);
        }
      }
    }
    span.end();
    HttpMetrics.recordServer(call, statusCode, errorType);
  }

  /** {@code HTTP/1.1} → {@code 1.1}, {@code HTTP/2.0} → {@code 2}. */
  static String protocolVersion(String protocol) {
    if (protocol == null) {
      return null;
    }
    // the common ones without a substring per request
    if (protocol.equals("HTTP/1.1")) {
      return "1.1";
    }
    if (protocol.equals("HTTP/2.0") || protocol.equals("HTTP/2")) {
      return "2";
    }
    int slash = protocol.indexOf('/');
    String version = slash < 0 ? protocol : protocol.substring(slash + 1);
    return version.endsWith(".0") ? version.substring(0, version.length() - 2) : version;
  }

  private static void setServerAddress(SpanBuilder builder, String host, InetSocketAddress local) {
    if (host != null && !host.isEmpty()) {
      HostHeader parsed = lastHost;
      if (parsed == null || !parsed.value.equals(host)) {
        parsed = HostHeader.parse(host);
        lastHost = parsed;
      }
      builder.setAttribute(HttpAttributes.SERVER_ADDRESS, parsed.address);
      if (parsed.port != null) {
        builder.setAttribute(HttpAttributes.SERVER_PORT, parsed.port);
      }
      return;
    }
    if (local != null) {
      builder.setAttribute(HttpAttributes.SERVER_ADDRESS, local.getHostString());
      builder.setAttribute(HttpAttributes.SERVER_PORT, BoxedLongs.of(local.getPort()));
    }
  }

  /** A Host header ({@code name[:port]}, {@code [v6][:port]}) as server.address and server.port. */
  private static final class HostHeader {
    final String value;
    final String address;
    final Long port;

    private HostHeader(String value, String address, Long port) {
      this.value = value;
      this.address = address;
      this.port = port;
    }

    static HostHeader parse(String host) {
      int colon = host.startsWith("[") ? host.indexOf(':', host.indexOf(']')) : host.lastIndexOf(':');
      Long port = null;
      if (colon > 0) {
        try {
          port = Long.parseLong(host.substring(colon + 1));
        } catch (NumberFormatException ignored) {
          // a malformed Host header is the client's problem; leave the port out
        }
      }
      return new HostHeader(host, colon < 0 ? host : host.substring(0, colon), port);
    }
  }

  private static HeaderNames headerNames(TextMapPropagator propagator) {
    HeaderNames names = headerNames;
    if (names == null || names.propagator != propagator) {
      names = new HeaderNames(propagator, ServerRequestDetails.headerNames(propagator.fields()));
      headerNames = names;
    }
    return names;
  }

  private static final class HeaderNames {
    final TextMapPropagator propagator;
    final List<String> names;
    final String[] array;

    HeaderNames(TextMapPropagator propagator, List<String> names) {
      this.propagator = propagator;
      this.names = names;
      this.array = names.toArray(new String[0]);
    }
  }
}
