package dev.tracelight.agent.lettuce;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.redis.RedisCalls;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.RedisCommand;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Every command of a standalone connection (sync, async and reactive APIs alike) is dispatched here, on the caller's
 * thread; pipelined batches ({@code dispatch(Collection)}) are not traced.
 */
final class DispatchInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("io.lettuce.core.StatefulRedisConnectionImpl");
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(named("dispatch").and(takesArguments(1))
        .and(takesArgument(0, named("io.lettuce.core.protocol.RedisCommand"))),
        getClass().getName() + "$DispatchAdvice");
  }

  @SuppressWarnings("unused")
  public static final class DispatchAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(0) RedisCommand<?, ?, ?> command,
        @Advice.FieldValue("state") Object state) {
      Object inner = CommandWrapper.unwrap(command);
      CommandArgs<?, ?> arguments = command.getArgs();
      String name = command.getType().name();
      RedisCalls.startAsync(state, inner, name,
          arguments == null ? null : arguments.getFirstEncodedKey(), arguments == null ? 0 : arguments.count());
      if (arguments != null && "SELECT".equals(name)) {
        // Lettuce updates its ConnectionState only when the SELECT completes, which can be after the caller has
        // already dispatched its next command; commands go out in dispatch order, so the next ones use this database.
        Long database = arguments.getFirstInteger();
        if (database != null) {
          RedisCalls.database(state, database.intValue());
        }
      }
      return inner;
    }

    /** A dispatch that throws has not queued the command: nothing will complete it. */
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object inner, @Advice.Thrown Throwable error) {
      if (error != null && inner != null) {
        RedisCalls.completed(inner, null, null, error);
      }
    }
  }
}
