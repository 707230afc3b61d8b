package dev.tracelight.agent.it.lettuce;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.concurrent.TimeUnit;

/**
 * Redis calls through Lettuce's sync, async and reactive APIs on database 3, one failing, then a SELECT to database 5.
 * Every value holds "secret" so that the test can prove none reaches telemetry. Args: port.
 */
public final class LettuceApp {
  private LettuceApp() {}

  public static void main(String[] args) throws Exception {
    RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1")
        .withPort(Integer.parseInt(args[0])).withDatabase(3).build());
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      connection.sync().set("user:1", "alice-secret");
      System.out.println("GET=" + connection.sync().get("user:1"));
      connection.async().hset("user:2", "name", "bob-secret").get(10, TimeUnit.SECONDS);
      System.out.println("REACTIVE=" + connection.reactive().get("user:1").block());
      try {
        connection.sync().incr("user:2");
      } catch (RedisCommandExecutionException e) {
        System.out.println("ERROR=" + e.getMessage());
      }
      connection.sync().select(5);
      connection.sync().del("user:1");
    } finally {
      client.shutdown();
    }
  }
}
