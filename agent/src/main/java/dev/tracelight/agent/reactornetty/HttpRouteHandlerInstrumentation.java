package dev.tracelight.agent.reactornetty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.http.HttpServerSpans;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code DefaultHttpServerRoutes.HttpRouteHandler.apply}: the route of Reactor Netty's own {@code HttpServer.route(…)}
 * that matched (e.g. {@code /users/{id}}, as registered) names the SERVER span, which is current there (the routes
 * run inside the handler call {@link HttpServerHandleInstrumentation} wraps). Routes given as plain predicates have no
 * path and leave the span {@code GET}.
 */
final class HttpRouteHandlerInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named(ReactorNettyModule.ROUTE_HANDLER);
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(named("apply").and(takesArguments(2)), getClass().getName() + "$RouteAdvice");
  }

  @SuppressWarnings("unused")
  public static final class RouteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.FieldValue("path") String path) {
      if (path != null) {
        HttpServerSpans.updateRoute(path);
      }
    }
  }
}
