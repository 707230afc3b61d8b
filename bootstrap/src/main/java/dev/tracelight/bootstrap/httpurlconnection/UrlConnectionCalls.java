package dev.tracelight.bootstrap.httpurlconnection;

import dev.tracelight.bootstrap.http.HttpCall;
import dev.tracelight.bootstrap.http.HttpClientSpans;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.net.HttpURLConnection;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * One CLIENT span per {@link HttpURLConnection} request, however the application drives it: {@code connect()},
 * {@code getOutputStream()}, {@code getInputStream()} and {@code getResponseCode()} call each other, and may be called
 * again after the response. Only the outermost call on a thread acts: the first one starts the span (and injects the
 * headers while they can still be set); the first {@code getInputStream}/{@code getResponseCode} that returns or
 * throws, or a failing {@code connect}/{@code getOutputStream}, ends it.
 */
public final class UrlConnectionCalls {
  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);
  // Weak keys: a connection the application drops before reading the response must not leak.
  private static final Map<HttpURLConnection, HttpCall> CALLS = Collections.synchronizedMap(new WeakHashMap<>());
  private static final TextMapSetter<HttpURLConnection> HEADER_SETTER = UrlConnectionCalls::setHeader;

  private UrlConnectionCalls() {}

  /** Called on entry of every instrumented method; returns true for the outermost call on this thread. */
  public static boolean enter(HttpURLConnection connection, boolean sendsBody) {
    int[] depth = DEPTH.get();
    if (depth[0]++ > 0) {
      return false;
    }
    if (CALLS.containsKey(connection)) {
      return true;
    }
    String method = connection.getRequestMethod();
    // getOutputStream() turns a GET into a POST, as HttpURLConnection itself does a moment later.
    if (sendsBody && "GET".equals(method)) {
      method = "POST";
    }
    HttpCall call = HttpClientSpans.start(method, connection.getURL());
    if (call == null) {
      return true;
    }
    CALLS.put(connection, call);
    HttpClientSpans.inject(call, connection, HEADER_SETTER);
    return true;
  }

  /**
   * Called on exit of every instrumented method.
   *
   * @param readsResponse true for getInputStream/getResponseCode, whose end is the end of the request
   */
  public static void exit(boolean outermost, HttpURLConnection connection, boolean readsResponse, Throwable error) {
    DEPTH.get()[0]--;
    if (!outermost) {
      return;
    }
    HttpCall call = CALLS.get(connection);
    if (call == null || call.isEnded() || (!readsResponse && error == null)) {
      return;
    }
    int status = -1;
    Throwable failure = error;
    DEPTH.get()[0]++; // getResponseCode() below re-enters our advice; keep it inert
    try {
      status = connection.getResponseCode();
      // 4xx/5xx make getInputStream throw, but the exchange itself worked: the status tells the story
      if (status > 0) {
        failure = null;
      }
    } catch (Exception noResponse) {
      // connection refused, timeout…: the original exception is the error
    } finally {
      DEPTH.get()[0]--;
    }
    HttpClientSpans.end(call, status, "1.1", failure); // HttpURLConnection speaks HTTP/1.1 only
  }

  private static void setHeader(HttpURLConnection connection, String name, String value) {
    try {
      connection.setRequestProperty(name, value);
    } catch (IllegalStateException alreadyConnected) {
      // headers can no longer be set: the request went out without them
    }
  }
}
