package dev.tracelight.bootstrap.http;

import dev.tracelight.bootstrap.Suppression;
import dev.tracelight.bootstrap.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.net.URI;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CLIENT spans for any HTTP client library: named by the method, with {@code url.full} redacted, server address and
 * port, and the context to inject into the outgoing request.
 */
public final class HttpClientSpans {
  private static final ContextKey<HttpCall> CLIENT_CALL = ContextKey.named("tracelight-http-client-call");
  private static final TextMapSetter<Map<String, String>> MAP_SETTER = Map::put;

  private HttpClientSpans() {}

  /**
   * Starts a CLIENT span as a child of the current context, or returns null when a client span of ours is already
   * current (one library calling another underneath: one span per request).
   */
  public static HttpCall start(String method, URI uri) {
    if (uri == null) {
      return start(method, null, null, -1);
    }
    return start(method, uri.toString(), uri.getHost(), port(uri));
  }

  /** Like {@link #start(String, URI)} for a {@link URL}, without parsing it again into a URI. */
  public static HttpCall start(String method, URL url) {
    if (url == null) {
      return start(method, null, null, -1);
    }
    String host = url.getHost();
    int port = url.getPort() > 0 ? url.getPort() : url.getDefaultPort();
    return start(method, url.toExternalForm(), host == null || host.isEmpty() ? null : host, port);
  }

  /**
   * Injects the context of {@code call} (traceparent, b3…, as configured) straight into a request that takes headers
   * one by one.
   */
  public static <C> void inject(HttpCall call, C request, TextMapSetter<C> setter) {
    Tracing.propagator().inject(call.context, request, setter);
  }

  /** Whether {@link #start} would start a span under {@code context}: not suppressed, no client span of ours in it. */
  public static boolean isTraceable(Context context) {
    return context.get(CLIENT_CALL) == null && !Suppression.isSuppressed(context);
  }

  /** The headers to add to the request of {@code call} (traceparent, b3…, as configured). */
  public static Map<String, String> headersFor(HttpCall call) {
    Map<String, String> headers = new LinkedHashMap<>();
    Tracing.propagator().inject(call.context, headers, MAP_SETTER);
    return headers;
  }

  /** Headers for the client call current on this thread, or an empty map when there is none. */
  public static Map<String, String> headersForCurrentCall() {
    HttpCall call = Context.current().get(CLIENT_CALL);
    return call == null ? Map.of() : headersFor(call);
  }

  /** Ends the span once; {@code statusCode} -1 when there was no response, {@code protocolVersion} may be null. */
  public static void end(HttpCall call, int statusCode, String protocolVersion, Throwable error) {
    if (call == null || !call.markEnded()) {
      return;
    }
    Span span = call.span;
    if (statusCode > 0) {
      span.setAttribute(HttpAttributes.HTTP_RESPONSE_STATUS_CODE, BoxedLongs.of(statusCode));
    }
    if (protocolVersion != null) {
      span.setAttribute(HttpAttributes.NETWORK_PROTOCOL_VERSION, protocolVersion);
    }
    String errorType = HttpSpanStatus.errorType(false, statusCode, error);
    if (errorType != null) {
      span.setAttribute(HttpAttributes.ERROR_TYPE, errorType);
    }
    if (HttpSpanStatus.isError(false, statusCode, error)) {
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
    call.protocolVersion = protocolVersion;
    HttpMetrics.recordClient(call, statusCode, errorType);
  }

  /** @param url the full URL, null when unknown; {@code port} -1 when unknown */
  private static HttpCall start(String method, String url, String host, long port) {
    Context parent = Context.current();
    if (parent.get(CLIENT_CALL) != null || Suppression.isSuppressed(parent)) {
      return null;
    }
    String normalized = HttpMethod.normalize(method);
    SpanBuilder builder = Tracing.tracer().spanBuilder(HttpMethod.spanName(normalized, null))
        .setParent(parent)
        .setSpanKind(SpanKind.CLIENT)
        .setAttribute(HttpAttributes.HTTP_REQUEST_METHOD, normalized);
    if (HttpMethod.OTHER.equals(normalized)) {
      builder.setAttribute(HttpAttributes.HTTP_REQUEST_METHOD_ORIGINAL, method);
    }
    if (url != null) {
      builder.setAttribute(HttpAttributes.URL_FULL, RedactedUrl.of(url));
      if (host != null) {
        builder.setAttribute(HttpAttributes.SERVER_ADDRESS, host);
      }
      if (port > 0) {
        builder.setAttribute(HttpAttributes.SERVER_PORT, BoxedLongs.of(port));
      }
    }
    Span span = builder.startSpan();
    HttpCall call = new HttpCall(span, parent.with(span));
    call.context = call.context.with(CLIENT_CALL, call);
    call.method = normalized;
    if (url != null) {
      call.serverAddress = host;
      call.serverPort = port;
    }
    return call;
  }

  static long port(URI uri) {
    if (uri.getPort() > 0) {
      return uri.getPort();
    }
    if ("https".equalsIgnoreCase(uri.getScheme())) {
      return 443;
    }
    return "http".equalsIgnoreCase(uri.getScheme()) ? 80 : -1;
  }
}
