package dev.tracelight.bootstrap.springwebflux;

import dev.tracelight.bootstrap.http.HttpServerSpans;
import dev.tracelight.bootstrap.reactornetty.ReactorNettyServerSpans;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.function.Consumer;

/**
 * What Spring WebFlux adds to the server span of the request it handles: the matched pattern ({@code http.route} and
 * the span name) and the exception a handler failed with. WebFlux works on whatever thread a signal arrives on, so the
 * request's context is taken when {@code DispatcherHandler.handle} is called (on the server's thread, span current),
 * kept in the exchange's attributes, and made current again where it is needed.
 */
public final class WebFluxSpans {
  /** The exchange attribute that holds the request's context. */
  public static final String CONTEXT_ATTRIBUTE = "dev.tracelight.context";

  private WebFluxSpans() {}

  /** The context to keep with the exchange, or null when no span is current. */
  public static Object currentContext() {
    Context context = Context.current();
    return context == Context.root() ? null : context;
  }

  /**
   * Names the server span after the matched pattern.
   *
   * @param context what {@link #currentContext} returned for this exchange
   * @param contextPath the application's context path, usually empty
   * @param pattern the best matching pattern (a {@code PathPattern} or String), null when none matched
   */
  public static void route(Object context, String contextPath, Object pattern) {
    if (!(context instanceof Context) || pattern == null) {
      return;
    }
    String route = contextPath == null || contextPath.isEmpty() ? pattern.toString() : contextPath + pattern;
    try (Scope ignored = ((Context) context).makeCurrent()) {
      HttpServerSpans.updateRoute(route);
    }
  }

  /**
   * Records the error the dispatch failed with: on a Reactor Netty span it is kept until the response status is known
   * (a 5xx makes it the span's error), on any other server span it becomes an exception event.
   */
  public static Consumer<Throwable> onError(Object context) {
    return error -> {
      if (!(context instanceof Context) || ReactorNettyServerSpans.recordError((Context) context, error)) {
        return;
      }
      try (Scope ignored = ((Context) context).makeCurrent()) {
        HttpServerSpans.recordException(error);
      }
    };
  }
}
