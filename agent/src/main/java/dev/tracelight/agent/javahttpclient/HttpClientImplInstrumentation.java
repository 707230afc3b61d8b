package dev.tracelight.agent.javahttpclient;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.http.HttpCall;
import dev.tracelight.bootstrap.http.HttpClientSpans;
import dev.tracelight.bootstrap.javahttpclient.JavaHttpClientBridge;
import java.net.http.HttpRequest;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code HttpClientImpl.sendAsync(request, handler, pushHandler, executor)}: the span starts here, the request is
 * replaced by a copy carrying the context, and the span ends when the response future completes. The returned future
 * is not replaced, so cancelling it still cancels the exchange.
 */
final class HttpClientImplInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("jdk.internal.net.http.HttpClientImpl");
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(named("sendAsync").and(takesArguments(4)), getClass().getName() + "$SendAsyncAdvice");
  }

  @SuppressWarnings("unused")
  public static final class SendAsyncAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static HttpCall enter(@Advice.Argument(value = 0, readOnly = false) HttpRequest request) {
      HttpCall call = HttpClientSpans.start(request.method(), request.uri());
      if (call != null) {
        request = (HttpRequest) JavaHttpClientBridge.withContext(request, call);
      }
      return call;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter HttpCall call, @Advice.Return CompletableFuture<?> response,
        @Advice.Thrown Throwable error) {
      if (call == null) {
        return;
      }
      if (error != null || response == null) {
        HttpClientSpans.end(call, -1, null, error);
      } else {
        response.whenComplete(JavaHttpClientBridge.completion(call));
      }
    }
  }
}
