package dev.tracelight.agent.reactornetty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.reactornetty.ReactorNettyServerSpans;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import reactor.netty.http.server.HttpServerResponse;

/**
 * {@code ChannelOperations.terminate()}: Reactor Netty's one exit for a request's operations, called after the last
 * response frame was flushed, or when the connection closed first (no headers sent: no status). Ends the SERVER span.
 */
final class ChannelOperationsInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named(ReactorNettyModule.CHANNEL_OPERATIONS);
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(named("terminate").and(takesArguments(0)), getClass().getName() + "$TerminateAdvice");
  }

  @SuppressWarnings("unused")
  public static final class TerminateAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object operations) {
      if (operations instanceof HttpServerResponse) {
        HttpServerResponse response = (HttpServerResponse) operations;
        ReactorNettyServerSpans.end(operations, response.hasSentHeaders() ? response.status().code() : -1,
            response.responseHeaders());
      }
    }
  }
}
