package dev.tracelight.agent.reactornetty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.reactornetty.ReactorNettyServerSpans;
import io.opentelemetry.context.Scope;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerState;

/**
 * {@code HttpServer.HttpServerHandle.onStateChange(connection, REQUEST_RECEIVED)} applies the application's handler to
 * a request and subscribes to what it returns, on the event loop: the SERVER span starts here and is current while
 * that happens. {@link ChannelOperationsInstrumentation} ends it.
 */
final class HttpServerHandleInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named(ReactorNettyModule.SERVER_HANDLE);
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(named("onStateChange").and(takesArguments(2)), getClass().getName() + "$RequestAdvice");
  }

  @SuppressWarnings("unused")
  public static final class RequestAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Scope enter(@Advice.Argument(0) Connection connection,
        @Advice.Argument(1) ConnectionObserver.State state) {
      if (state != HttpServerState.REQUEST_RECEIVED || !(connection instanceof HttpServerRequest)) {
        return null;
      }
      HttpServerRequest request = (HttpServerRequest) connection;
      return ReactorNettyServerSpans.start(request, request.requestHeaders(), request.method().name(),
          request.scheme(), request.uri(), request.version().text(), request.hostAddress());
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Scope scope) {
      if (scope != null) {
        scope.close();
      }
    }
  }
}
