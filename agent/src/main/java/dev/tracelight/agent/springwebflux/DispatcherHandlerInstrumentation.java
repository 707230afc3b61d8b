package dev.tracelight.agent.springwebflux;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.springwebflux.WebFluxSpans;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code DispatcherHandler}: {@code handle(exchange)} runs with the server span current, so the context is kept in
 * the exchange and the returned Mono records an error nothing resolved; the private method that invokes the matched
 * handler ({@code invokeHandler} in 5.3, {@code handleRequestWith} in 6.x) runs once a handler mapping (annotated or
 * {@code RouterFunctionMapping}) has set the best matching pattern, which becomes the route.
 */
final class DispatcherHandlerInstrumentation implements TypeInstrumentation {
  static final String DISPATCHER_HANDLER = "org.springframework.web.reactive.DispatcherHandler";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named(DISPATCHER_HANDLER);
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(named("handle").and(takesArguments(1)), getClass().getName() + "$HandleAdvice")
        .apply(namedOneOf("invokeHandler", "handleRequestWith").and(takesArguments(2)),
            getClass().getName() + "$RouteAdvice");
  }

  @SuppressWarnings({"unused", "rawtypes", "unchecked"})
  public static final class HandleAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) ServerWebExchange exchange) {
      Object context = WebFluxSpans.currentContext();
      if (context != null) {
        exchange.getAttributes().put(WebFluxSpans.CONTEXT_ATTRIBUTE, context);
      }
      return context;
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Enter Object context, @Advice.Return(readOnly = false) Mono result) {
      if (context != null && result != null) {
        result = result.doOnError(WebFluxSpans.onError(context));
      }
    }
  }

  @SuppressWarnings("unused")
  public static final class RouteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) ServerWebExchange exchange) {
      Object context = exchange.getAttributes().get(WebFluxSpans.CONTEXT_ATTRIBUTE);
      if (context != null) {
        WebFluxSpans.route(context, exchange.getRequest().getPath().contextPath().value(),
            exchange.getAttributes().get(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE));
      }
    }
  }
}
