package dev.tracelight.agent.lettuce;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.redis.RedisCalls;
import io.lettuce.core.RedisURI;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** A connection's state learns its URI when it connects, and its database again after each SELECT. */
final class ConnectionStateInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.lettuce.core.ConnectionState");
  }

  @Override
  public void transform(AdviceBinding advice) {
    String outer = getClass().getName();
    advice.apply(named("apply").and(takesArguments(1)).and(takesArgument(0, named("io.lettuce.core.RedisURI"))),
            outer + "$ApplyAdvice")
        .apply(named("setDb").and(takesArguments(int.class)), outer + "$SetDbAdvice");
  }

  @SuppressWarnings("unused")
  public static final class ApplyAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object state, @Advice.Argument(0) RedisURI uri) {
      RedisCalls.connected(state, uri.getHost(), uri.getPort(), uri.getDatabase());
    }
  }

  @SuppressWarnings("unused")
  public static final class SetDbAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object state, @Advice.Argument(0) int database) {
      RedisCalls.database(state, database);
    }
  }
}
