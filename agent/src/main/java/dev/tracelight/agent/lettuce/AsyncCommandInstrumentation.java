package dev.tracelight.agent.lettuce;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.redis.RedisCalls;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.RedisCommand;
import java.util.concurrent.CancellationException;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The future of the sync and async APIs; it completes itself and may or may not pass completion on to the command
 * it wraps, so it ends the span of that command too (whichever completion comes first counts).
 */
final class AsyncCommandInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.lettuce.core.protocol.AsyncCommand");
  }

  @Override
  public void transform(AdviceBinding advice) {
    String outer = getClass().getName();
    advice.apply(named("complete").and(takesArguments(0)), outer + "$CompleteAdvice")
        .apply(named("completeExceptionally").and(takesArguments(Throwable.class)), outer + "$FailAdvice")
        .apply(named("cancel").and(takesArguments(boolean.class)), outer + "$CancelAdvice");
  }

  @SuppressWarnings("unused")
  public static final class CompleteAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This AsyncCommand<?, ?, ?> command) {
      CommandOutput<?, ?, ?> output = command.getOutput();
      RedisCalls.completed(CommandWrapper.unwrap((RedisCommand<?, ?, ?>) command),
          output == null ? null : output.getError(), "io.lettuce.core.RedisCommandExecutionException", null);
    }
  }

  @SuppressWarnings("unused")
  public static final class FailAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This AsyncCommand<?, ?, ?> command, @Advice.Argument(0) Throwable error) {
      RedisCalls.completed(CommandWrapper.unwrap((RedisCommand<?, ?, ?>) command), null, null, error);
    }
  }

  @SuppressWarnings("unused")
  public static final class CancelAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This AsyncCommand<?, ?, ?> command) {
      RedisCalls.completed(CommandWrapper.unwrap((RedisCommand<?, ?, ?>) command), null, null,
          new CancellationException("command cancelled"));
    }
  }
}
