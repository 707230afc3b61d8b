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

/** The JDK's implementation class; https connections delegate to a subclass of it, so both are covered. */
final class HttpUrlConnectionInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("sun.net.www.protocol.http.HttpURLConnection");
  }

  @Override
  public void transform(AdviceBinding advice) {
    String outer = getClass().getName();
    advice.apply(named("connect").and(takesArguments(0)), outer + "$ConnectAdvice")
        .apply(named("getOutputStream").and(takesArguments(0)), outer + "$OutputStreamAdvice")
        .apply(named("getInputStream").and(takesArguments(0)), outer + "$InputStreamAdvice");
  }

  @SuppressWarnings("unused")
  public static final class ConnectAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static boolean enter(@Advice.This HttpURLConnection connection) {
      return UrlConnectionCalls.enter(connection, false);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter boolean outermost, @Advice.This HttpURLConnection connection,
        @Advice.Thrown Throwable error) {
      UrlConnectionCalls.exit(outermost, connection, false, error);
    }
  }

  @SuppressWarnings("unused")
  public static final class OutputStreamAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static boolean enter(@Advice.This HttpURLConnection connection) {
      return UrlConnectionCalls.enter(connection, true);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter boolean outermost, @Advice.This HttpURLConnection connection,
        @Advice.Thrown Throwable error) {
      UrlConnectionCalls.exit(outermost, connection, false, error);
    }
  }

  @SuppressWarnings("unused")
  public static final class InputStreamAdvice {
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
