package dev.tracelight.agent.it.jedis;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Redis calls through Jedis (database 1) and JedisPooled (database 0), one of them failing. Every value holds "secret"
 * so that the test can prove none reaches telemetry. Args: port.
 */
public final class JedisApp {
  private JedisApp() {}

  public static void main(String[] args) {
    HostAndPort server = new HostAndPort("127.0.0.1", Integer.parseInt(args[0]));
    try (Jedis jedis = new Jedis(server, DefaultJedisClientConfig.builder().database(1).build())) {
      jedis.set("user:1", "alice-secret");
      System.out.println("GET=" + jedis.get("user:1"));
      jedis.hset("user:2", "name", "bob-secret");
      jedis.del("user:1");
      try {
        jedis.incr("user:2");
      } catch (JedisDataException e) {
        System.out.println("ERROR=" + e.getMessage());
      }
    }
    try (JedisPooled pooled = new JedisPooled(server.getHost(), server.getPort())) {
      pooled.set("pooled", "carol-secret");
    }
  }
}
