package dev.tracelight.bootstrap.springwebflux;

import dev.tracelight.bootstrap.http.HttpCall;
import dev.tracelight.bootstrap.http.HttpClientSpans;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Spring's {@code ReactorClientHttpConnector} (WebClient on Reactor Netty): the request callback is wrapped so the
 * propagation headers are set on Spring's request before it is written (on an event-loop thread, where no context is
 * current), and the returned Mono ends the span. Spring's types are reached through their public interfaces,
 * reflectively, because this class cannot link against them.
 */
public final class WebClientCalls {
  private static final ClassValue<SpringTypes> TYPES = new ClassValue<>() {
    @Override
    protected SpringTypes computeValue(Class<?> requestType) {
      return SpringTypes.of(requestType);
    }
  };

  private WebClientCalls() {}

  /** @param requestType Spring's {@code ClientHttpRequest} interface, from the advice */
  public static Function<Object, Object> injecting(Function<Object, Object> callback, HttpCall call,
      Class<?> requestType) {
    SpringTypes types = TYPES.get(requestType);
    return request -> {
      try {
        Object headers = types.getHeaders.invoke(request);
        for (Map.Entry<String, String> header : HttpClientSpans.headersFor(call).entrySet()) {
          types.setHeader.invoke(headers, header.getKey(), header.getValue());
        }
      } catch (ReflectiveOperationException | RuntimeException ignored) {
        // the request goes out without our headers; the span is still recorded
      }
      return callback.apply(request);
    };
  }

  /** Ends the span with the response's status ({@code null}: the Mono completed empty). */
  public static Consumer<Object> onResponse(HttpCall call, Class<?> responseType) {
    return response -> HttpClientSpans.end(call, response == null ? -1 : status(response, responseType), null, null);
  }

  public static Consumer<Throwable> onError(HttpCall call) {
    return error -> HttpClientSpans.end(call, -1, null, error);
  }

  /** The subscriber lost interest (a timeout, a cancelled request): end the span without a response. */
  public static Runnable onCancel(HttpCall call) {
    return () -> HttpClientSpans.end(call, -1, null, null);
  }

  /** {@code getStatusCode().value()}: HttpStatus in Spring 5, HttpStatusCode in 6+, both have {@code value()}. */
  private static int status(Object response, Class<?> responseType) {
    try {
      Method getStatusCode = responseType.getMethod("getStatusCode");
      Object code = getStatusCode.invoke(response);
      return code == null ? -1 : (Integer) getStatusCode.getReturnType().getMethod("value").invoke(code);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return -1;
    }
  }

  private static final class SpringTypes {
    final Method getHeaders;
    final Method setHeader;

    private SpringTypes(Method getHeaders, Method setHeader) {
      this.getHeaders = getHeaders;
      this.setHeader = setHeader;
    }

    static SpringTypes of(Class<?> requestType) {
      try {
        Method getHeaders = requestType.getMethod("getHeaders");
        return new SpringTypes(getHeaders, getHeaders.getReturnType().getMethod("set", String.class, String.class));
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException("Spring's ClientHttpRequest without getHeaders().set(name, value)", e);
      }
    }
  }
}
