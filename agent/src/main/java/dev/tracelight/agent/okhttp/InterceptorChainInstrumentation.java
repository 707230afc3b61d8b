package dev.tracelight.agent.okhttp;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.http.HttpCall;
import dev.tracelight.bootstrap.http.HttpClientSpans;
import dev.tracelight.bootstrap.okhttp.OkHttpProtocols;
import java.util.Map;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Every call, {@code execute()} on the caller's thread or {@code enqueue()} on OkHttp's dispatcher (where the executors
 * instrumentation brings the caller's context), runs through the interceptor chain: the outermost
 * {@code RealInterceptorChain.proceed(request)} starts the span and replaces the request with a copy carrying the
 * headers. The span is current meanwhile, so the nested {@code proceed} calls of interceptors, retries and redirects
 * add nothing: one span per call.
 */
final class InterceptorChainInstrumentation implements TypeInstrumentation {
  static final String CHAIN = "okhttp3.internal.http.RealInterceptorChain";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named(CHAIN);
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(named("proceed").and(takesArguments(1)), getClass().getName() + "$ProceedAdvice");
  }

  @SuppressWarnings("unused")
  public static final class ProceedAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static HttpCall enter(@Advice.Argument(value = 0, readOnly = false) Request request) {
      HttpCall call = HttpClientSpans.start(request.method(), request.url().uri());
      if (call != null) {
        Request.Builder withHeaders = request.newBuilder();
        for (Map.Entry<String, String> header : HttpClientSpans.headersFor(call).entrySet()) {
          withHeaders.header(header.getKey(), header.getValue());
        }
        request = withHeaders.build();
        call.makeCurrent();
      }
      return call;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter HttpCall call, @Advice.Return Response response,
        @Advice.Thrown Throwable error) {
      if (call == null) {
        return;
      }
      call.closeScope();
      if (response == null) {
        HttpClientSpans.end(call, -1, null, error);
      } else {
        HttpClientSpans.end(call, response.code(), OkHttpProtocols.version(response.protocol()), error);
      }
    }
  }
}
