package dev.tracelight.agent.reactornetty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.reactornetty.ReactorNettyClientSpans;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

/**
 * {@code HttpClientConnect.MonoHttpConnect.subscribe(actual)}: one subscription to a request. The subscriber is
 * replaced by one that ends the CLIENT span if it cancels before the response (the handler that
 * {@link HttpClientHandlerInstrumentation} starts the span with is created inside this call, on this thread).
 */
final class MonoHttpConnectInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named(ReactorNettyModule.CLIENT_CONNECT);
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(named("subscribe").and(takesArguments(1)), getClass().getName() + "$SubscribeAdvice");
  }

  @SuppressWarnings("unused")
  public static final class SubscribeAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(value = 0, readOnly = false) CoreSubscriber<?> actual) {
      actual = (CoreSubscriber<?>) ReactorNettyClientSpans.subscribing(actual, CoreSubscriber.class,
          Subscription.class);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit() {
      ReactorNettyClientSpans.subscribed();
    }
  }
}
