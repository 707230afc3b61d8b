package dev.tracelight.agent.jdkhttpserver;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.http.HttpCall;
import dev.tracelight.bootstrap.http.HttpServerSpans;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Every exchange runs through {@code Filter.Chain.doFilter}: first the user filters, then the system filters and the
 * handler (nested chains; the outermost one makes the span). The server knows contexts (path prefixes), not routes,
 * so the span is named by the method alone.
 */
final class FilterChainInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("com.sun.net.httpserver.Filter$Chain");
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(named("doFilter").and(takesArguments(1)), getClass().getName() + "$DoFilterAdvice");
  }

  @SuppressWarnings("unused")
  public static final class DoFilterAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static HttpCall enter(@Advice.Argument(0) HttpExchange exchange) {
      return HttpServerSpans.start(exchange.getRequestHeaders(), exchange.getRequestMethod(),
          exchange instanceof HttpsExchange ? "https" : "http", exchange.getRequestURI(), exchange.getProtocol(),
          exchange.getLocalAddress(), null);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter HttpCall call, @Advice.Argument(0) HttpExchange exchange,
        @Advice.Thrown Throwable error) {
      if (call != null) {
        HttpServerSpans.end(call, exchange.getResponseCode(), error);
      }
    }
  }
}
