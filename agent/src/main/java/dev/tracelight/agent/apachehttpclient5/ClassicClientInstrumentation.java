package dev.tracelight.agent.apachehttpclient5;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.apachehttpclient.ApacheHttpClientRequests;
import dev.tracelight.bootstrap.http.HttpCall;
import dev.tracelight.bootstrap.http.HttpClientSpans;
import java.util.Map;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpHost;

/**
 * Every {@code execute}/{@code executeOpen} of the classic client ends in {@code doExecute(target, request,
 * context)} of one of the two implementations the builders make. One span covers the whole exchange, redirects and
 * retries included; the propagation headers are set on the request before it is sent. The span is current meanwhile,
 * so a client instrumented underneath does not add a second CLIENT span.
 */
final class ClassicClientInstrumentation implements TypeInstrumentation {
  static final String INTERNAL_CLIENT = "org.apache.hc.client5.http.impl.classic.InternalHttpClient";
  private static final String MINIMAL_CLIENT = "org.apache.hc.client5.http.impl.classic.MinimalHttpClient";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return namedOneOf(INTERNAL_CLIENT, MINIMAL_CLIENT);
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(named("doExecute").and(takesArguments(3)), getClass().getName() + "$DoExecuteAdvice");
  }

  @SuppressWarnings("unused")
  public static final class DoExecuteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static HttpCall enter(@Advice.Argument(0) HttpHost target,
        @Advice.Argument(1) ClassicHttpRequest request) {
      HttpCall call = HttpClientSpans.start(request.getMethod(),
          ApacheHttpClientRequests.uri(target == null ? null : target.toURI(), request.getScheme(),
              request.getAuthority(), request.getRequestUri()));
      if (call != null) {
        for (Map.Entry<String, String> header : HttpClientSpans.headersFor(call).entrySet()) {
          request.setHeader(header.getKey(), header.getValue());
        }
        call.makeCurrent();
      }
      return call;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter HttpCall call, @Advice.Return ClassicHttpResponse response,
        @Advice.Thrown Throwable error) {
      if (call == null) {
        return;
      }
      call.closeScope();
      if (response == null) {
        HttpClientSpans.end(call, -1, null, error);
      } else {
        HttpClientSpans.end(call, response.getCode(), ApacheHttpClientRequests.protocolVersion(response.getVersion()),
            error);
      }
    }
  }
}
