package dev.tracelight.agent.springwebflux;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.http.HttpCall;
import dev.tracelight.bootstrap.http.HttpClientSpans;
import dev.tracelight.bootstrap.springwebflux.WebClientCalls;
import java.net.URI;
import java.util.function.Function;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpResponse;
import reactor.core.publisher.Mono;

/**
 * {@code ReactorClientHttpConnector.connect(method, uri, requestCallback)}: WebClient calls it once per exchange (per
 * subscription), on the subscribing thread, so the current context is the caller's. The span starts here; the request
 * callback sets the headers; the returned Mono ends the span when the response (or an error) arrives.
 */
final class ReactorClientHttpConnectorInstrumentation implements TypeInstrumentation {
  static final String CONNECTOR = "org.springframework.http.client.reactive.ReactorClientHttpConnector";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named(CONNECTOR);
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(named("connect").and(takesArguments(3)), getClass().getName() + "$ConnectAdvice");
  }

  @SuppressWarnings({"unused", "unchecked", "rawtypes"})
  public static final class ConnectAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static HttpCall enter(@Advice.Argument(0) Object method, @Advice.Argument(1) URI uri,
        @Advice.Argument(value = 2, readOnly = false) Function callback) {
      HttpCall call = HttpClientSpans.start(String.valueOf(method), uri);
      if (call != null) {
        callback = WebClientCalls.injecting(callback, call, ClientHttpRequest.class);
      }
      return call;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter HttpCall call, @Advice.Return(readOnly = false) Mono response,
        @Advice.Thrown Throwable error) {
      if (call == null) {
        return;
      }
      if (error != null || response == null) {
        HttpClientSpans.end(call, -1, null, error);
        return;
      }
      response = response.doOnSuccess(WebClientCalls.onResponse(call, ClientHttpResponse.class))
          .doOnError(WebClientCalls.onError(call))
          .doOnCancel(WebClientCalls.onCancel(call));
    }
  }
}
