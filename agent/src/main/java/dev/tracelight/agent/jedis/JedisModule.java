package dev.tracelight.agent.jedis;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.LibraryShape;
import dev.tracelight.agent.TypeInstrumentation;
import java.util.List;

/**
 * CLIENT spans for Jedis 4.x to 7.x: every command of {@code Jedis}, {@code JedisPooled}/{@code UnifiedJedis},
 * pipelines and transactions goes through {@code redis.clients.jedis.Connection}. Jedis 3 and older have no
 * {@code CommandArguments} and are skipped.
 */
public final class JedisModule extends InstrumentationModule {
  private static final String CONNECTION = "redis.clients.jedis.Connection";
  private static final LibraryShape SHAPE = LibraryShape.builder()
      .method(CONNECTION, "executeCommand", 1)
      .method(CONNECTION, "sendCommand", 1)
      .method(CONNECTION, "initializeFromClientConfig", 1)
      .method("redis.clients.jedis.CommandArguments", "getCommand", 0)
      .method("redis.clients.jedis.DefaultJedisSocketFactory", "getHostAndPort", 0)
      .build();

  public JedisModule() {
    super("jedis");
  }

  @Override
  public LibraryShape shape() {
    return SHAPE;
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new ConnectionInstrumentation());
  }
}
