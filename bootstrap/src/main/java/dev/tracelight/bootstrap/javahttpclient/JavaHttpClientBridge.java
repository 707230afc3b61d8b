package dev.tracelight.bootstrap.javahttpclient;

import dev.tracelight.bootstrap.AgentLog;
import dev.tracelight.bootstrap.http.HttpCall;
import dev.tracelight.bootstrap.http.HttpClientSpans;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

/**
 * What advice woven into {@code java.net.http} calls. That module lives in the platform class loader, which bootstrap
 * classes cannot see, so the agent plugs in an {@link Adapter} (in the agent class loader, which can) at start-up.
 */
public final class JavaHttpClientBridge {
  private static volatile Adapter adapter;

  private JavaHttpClientBridge() {}

  /** Reads and rebuilds {@code java.net.http} objects, typed as Object here. */
  public interface Adapter {
    /** A copy of the {@code HttpRequest} with the headers added. */
    Object withHeaders(Object request, Map<String, String> headers);

    int statusCode(Object response);

    String protocolVersion(Object response);
  }

  public static void install(Adapter javaHttpAdapter) {
    adapter = javaHttpAdapter;
  }

  /** The request to send instead of {@code request}: the same, plus the propagation headers of {@code call}. */
  public static Object withContext(Object request, HttpCall call) {
    Adapter current = adapter;
    if (call == null || current == null) {
      return request;
    }
    Map<String, String> headers = HttpClientSpans.headersFor(call);
    if (headers.isEmpty()) {
      return request;
    }
    try {
      return current.withHeaders(request, headers);
    } catch (RuntimeException e) {
      // e.g. a custom HttpRequest whose headers the builder refuses: send it as it is, untraced downstream
      AgentLog.warnOnce("java-http-client.copy", "could not add trace headers to an HttpRequest of "
          + request.getClass().getName() + "; it is sent without them", e);
      return request;
    }
  }

  /** Ends the CLIENT span of {@code call} when the response future completes. */
  public static BiConsumer<Object, Throwable> completion(HttpCall call) {
    return (response, error) -> {
      try {
        Adapter current = adapter;
        if (response == null || current == null) {
          HttpClientSpans.end(call, -1, null, unwrap(error));
        } else {
          HttpClientSpans.end(call, current.statusCode(response), current.protocolVersion(response), null);
        }
      } catch (Throwable t) {
        AgentLog.errorOnce("java-http-client.end", "could not end an HttpClient span", t);
      }
    };
  }

  /** CompletableFuture wraps failures of dependent stages in CompletionException; report the real cause. */
  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }
}
