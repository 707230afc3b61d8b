package dev.tracelight.agent.lettuce;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.redis.RedisCalls;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.Command;
import java.util.concurrent.CancellationException;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** The innermost command completes on Netty's thread; a Redis error reply is in its output by then. */
final class CommandInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.lettuce.core.protocol.Command");
  }

  @Override
  public void transform(AdviceBinding advice) {
    String outer = getClass().getName();
    advice.apply(named("complete").and(takesArguments(0)), outer + "$CompleteAdvice")
        .apply(named("completeExceptionally").and(takesArguments(Throwable.class)), outer + "$FailAdvice")
        .apply(named("cancel").and(takesArguments(0)), outer + "$CancelAdvice");
  }

  @SuppressWarnings("unused")
  public static final class CompleteAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Command<?, ?, ?> command) {
      CommandOutput<?, ?, ?> output = command.getOutput();
      RedisCalls.completed(command, output == null ? null : output.getError(),
          "io.lettuce.core.RedisCommandExecutionException", null);
    }
  }

  @SuppressWarnings("unused")
  public static final class FailAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object command, @Advice.Argument(0) Throwable error) {
      RedisCalls.completed(command, null, null, error);
    }
  }

  @SuppressWarnings("unused")
  public static final class CancelAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object command) {
      RedisCalls.completed(command, null, null, new CancellationException("command cancelled"));
    }
  }
}
