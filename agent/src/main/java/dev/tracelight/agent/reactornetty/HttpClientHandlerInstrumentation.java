package dev.tracelight.agent.reactornetty;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.reactornetty.ReactorNettyClientSpans;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Map;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import reactor.netty.http.client.HttpClientRequest;

/**
 * {@code HttpClientConnect.HttpClientHandler}: Reactor Netty makes one per subscription to a request, on the
 * subscribing thread, and keeps it through redirects and its retry. Its constructor starts the CLIENT span (the
 * caller's context is current there), {@code requestWithBody} prepares each request sent (the headers are set once it
 * has filled them, before anything is written), and {@code test(Throwable)} decides whether an error is retried or
 * ends the call.
 */
final class HttpClientHandlerInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named(ReactorNettyModule.CLIENT_HANDLER);
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(isConstructor().and(takesArguments(1)), getClass().getName() + "$ConstructorAdvice")
        .apply(named("requestWithBody").and(takesArguments(1)), getClass().getName() + "$RequestAdvice")
        .apply(named("test").and(takesArguments(1)), getClass().getName() + "$ErrorAdvice");
  }

  @SuppressWarnings("unused")
  public static final class ConstructorAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object handler, @Advice.FieldValue("method") HttpMethod method,
        @Advice.FieldValue("resourceUrl") String url) {
      ReactorNettyClientSpans.start(handler, method == null ? null : method.name(), url);
    }
  }

  @SuppressWarnings("unused")
  public static final class RequestAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object handler, @Advice.Argument(0) HttpClientRequest request) {
      for (Map.Entry<String, String> header : ReactorNettyClientSpans.headers(handler).entrySet()) {
        request.requestHeaders().set(header.getKey(), header.getValue());
      }
    }
  }

  @SuppressWarnings("unused")
  public static final class ErrorAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object handler, @Advice.Argument(0) Throwable error,
        @Advice.Return boolean retried) {
      if (!retried) {
        ReactorNettyClientSpans.end(handler, -1, -1, -1, error);
      }
    }
  }
}
