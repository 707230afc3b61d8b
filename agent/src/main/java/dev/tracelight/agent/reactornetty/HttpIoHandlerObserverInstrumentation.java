package dev.tracelight.agent.reactornetty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.reactornetty.ReactorNettyClientSpans;
import io.netty.handler.codec.http.HttpVersion;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.client.HttpClientResponse;
import reactor.netty.http.client.HttpClientState;

/**
 * {@code HttpClientConnect.HttpIOHandlerObserver.onStateChange(connection, RESPONSE_RECEIVED)}: the final response's
 * head arrived (a redirect that is followed never gets here). The CLIENT span ends with its status and version,
 * before the caller is told.
 */
final class HttpIoHandlerObserverInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named(ReactorNettyModule.CLIENT_OBSERVER);
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(named("onStateChange").and(takesArguments(2)), getClass().getName() + "$ResponseAdvice");
  }

  @SuppressWarnings("unused")
  public static final class ResponseAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.FieldValue("handler") Object handler,
        @Advice.Argument(0) Connection connection, @Advice.Argument(1) ConnectionObserver.State state) {
      if (state == HttpClientState.RESPONSE_RECEIVED && connection instanceof HttpClientResponse) {
        HttpClientResponse response = (HttpClientResponse) connection;
        HttpVersion version = response.version();
        ReactorNettyClientSpans.end(handler, response.status().code(), version.majorVersion(),
            version.minorVersion(), null);
      }
    }
  }
}
