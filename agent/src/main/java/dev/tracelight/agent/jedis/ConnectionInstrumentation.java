package dev.tracelight.agent.jedis;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.db.DbCall;
import dev.tracelight.bootstrap.redis.RedisCalls;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import redis.clients.jedis.CommandArguments;
import redis.clients.jedis.CommandObject;
import redis.clients.jedis.DefaultJedisSocketFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.args.Rawable;

/**
 * {@code executeCommand} sends a command and reads its reply (one span for both); {@code sendCommand(CommandArguments)}
 * alone (pipelines, and the few commands Jedis sends and reads separately) gets a span for the send. The set-up a
 * connection does in {@code initializeFromClientConfig} (AUTH, CLIENT SETINFO, SELECT) is not traced, and tells the
 * connection's database index.
 */
final class ConnectionInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("redis.clients.jedis.Connection");
  }

  @Override
  public void transform(AdviceBinding advice) {
    String outer = getClass().getName();
    advice.apply(named("executeCommand").and(takesArguments(1))
                .and(takesArgument(0, namedOneOf("redis.clients.jedis.CommandObject",
                    "redis.clients.jedis.CommandArguments"))), outer + "$CommandAdvice")
        .apply(named("sendCommand").and(takesArguments(1))
            .and(takesArgument(0, named("redis.clients.jedis.CommandArguments"))), outer + "$CommandAdvice")
        .apply(named("initializeFromClientConfig").and(takesArguments(1)), outer + "$InitializeAdvice");
  }

  @SuppressWarnings("unused")
  public static final class CommandAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static DbCall enter(@Advice.This Object connection, @Advice.Argument(0) Object command,
        @Advice.FieldValue("socketFactory") Object socketFactory) {
      CommandArguments arguments = command instanceof CommandObject
          ? ((CommandObject<?>) command).getArguments() : (CommandArguments) command;
      List<byte[]> raw = new ArrayList<>(arguments.size());
      for (Rawable argument : arguments) {
        raw.add(argument.getRaw());
      }
      HostAndPort server = socketFactory instanceof DefaultJedisSocketFactory
          ? ((DefaultJedisSocketFactory) socketFactory).getHostAndPort() : null;
      return RedisCalls.start(connection, server == null ? null : server.getHost(),
          server == null ? -1 : server.getPort(), raw);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter DbCall call, @Advice.Thrown Throwable error) {
      RedisCalls.end(call, error);
    }
  }

  @SuppressWarnings("unused")
  public static final class InitializeAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Scope enter(@Advice.This Object connection, @Advice.Argument(0) JedisClientConfig config) {
      RedisCalls.database(connection, config.getDatabase());
      return RedisCalls.suppressConnectionSetup();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Scope scope) {
      if (scope != null) {
        scope.close();
      }
    }
  }
}
