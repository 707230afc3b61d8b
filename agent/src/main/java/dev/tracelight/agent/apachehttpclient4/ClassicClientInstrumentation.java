package dev.tracelight.agent.apachehttpclient4;

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
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.HttpResponse;

/**
 * Like the HttpClient 5 module: every {@code execute} of a 4.3+ client ends in {@code doExecute(target, request,
 * context)} of one of the two implementations the builders make; one span per call, redirects and retries inside.
 */
final class ClassicClientInstrumentation implements TypeInstrumentation {
  static final String INTERNAL_CLIENT = "org.apache.http.impl.client.InternalHttpClient";
  private static final String MINIMAL_CLIENT = "org.apache.http.impl.client.MinimalHttpClient";

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
    public static HttpCall enter(@Advice.Argument(0) HttpHost target, @Advice.Argument(1) HttpRequest request) {
      HttpCall call = HttpClientSpans.start(request.getRequestLine().getMethod(), ApacheHttpClientRequests.uri(
          target == null ? null : target.toURI(), null, null, request.getRequestLine().getUri()));
      if (call != null) {
        for (Map.Entry<String, String> header : HttpClientSpans.headersFor(call).entrySet()) {
          request.setHeader(header.getKey(), header.getValue());
        }
        call.makeCurrent();
      }
      return call;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter HttpCall call, @Advice.Return HttpResponse response,
        @Advice.Thrown Throwable error) {
      if (call == null) {
        return;
      }
      call.closeScope();
      if (response == null || response.getStatusLine() == null) {
        HttpClientSpans.end(call, -1, null, error);
      } else {
        HttpClientSpans.end(call, response.getStatusLine().getStatusCode(),
            ApacheHttpClientRequests.protocolVersion(response.getStatusLine().getProtocolVersion()), error);
      }
    }
  }
}
