package dev.tracelight.agent.httpurlconnection;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.httpurlconnection.UrlConnectionCalls;
import java.net.HttpURLConnection;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** {@code getResponseCode()} lives in the abstract class and calls {@code getInputStream()} underneath. */
final class ResponseCodeInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("java.net.HttpURLConnection");
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(named("getResponseCode").and(takesArguments(0)), getClass().getName() + "$ResponseCodeAdvice");
  }

  @SuppressWarnings("unused")
  public static final class ResponseCodeAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static boolean enter(@Advice.This HttpURLConnection connection) {
      return UrlConnectionCalls.enter(connection, false);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter boolean outermost, @Advice.This HttpURLConnection connection,
        @Advice.Thrown Throwable error) {
      UrlConnectionCalls.exit(outermost, connection, true, error);
    }
  }
}
