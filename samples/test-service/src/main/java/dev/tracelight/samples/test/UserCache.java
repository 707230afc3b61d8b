package dev.tracelight.samples.test;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The Redis cache in front of test1. Optional by design: with {@code REDIS_SERVER} empty there is no cache, and a Redis
 * that is down costs a miss, never a failed request (said once in the log, and again once it is back).
 */
@Component
final class UserCache implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(UserCache.class);
  private static final int TTL_SECONDS = 30;
  private static final int TIMEOUT_MILLIS = 500;

  private final JedisPooled redis;
  private final String address;
  private final AtomicBoolean down = new AtomicBoolean();

  UserCache(@Value("${test.redis-server}") String address) {
    this.address = address.strip();
    if (this.address.isEmpty()) {
      log.info("REDIS_SERVER is empty: no cache, every request goes to the user service");
      this.redis = null;
    } else {
      HostAndPort hostAndPort = HostAndPort.from(this.address.contains(":") ? this.address : this.address + ":6379");
      this.redis = new JedisPooled(hostAndPort,
          DefaultJedisClientConfig.builder().connectionTimeoutMillis(TIMEOUT_MILLIS).socketTimeoutMillis(TIMEOUT_MILLIS)
              .build());
    }
  }

  boolean enabled() {
    return redis != null;
  }

  /** The cached JSON of user {@code id}, or null on a miss or when Redis cannot be reached. */
  String get(long id) {
    if (redis == null) {
      return null;
    }
    try {
      String json = redis.get(key(id));
      up();
      return json;
    } catch (JedisException e) {
      down(e);
      return null;
    }
  }

  void put(long id, String json) {
    if (redis == null) {
      return;
    }
    try {
      redis.setex(key(id), TTL_SECONDS, json);
      up();
    } catch (JedisException e) {
      down(e);
    }
  }

  @Override
  public void destroy() {
    if (redis != null) {
      redis.close();
    }
  }

  private static String key(long id) {
    return "user:" + id;
  }

  private void down(JedisException e) {
    if (down.compareAndSet(false, true)) {
      log.warn("Redis at {} cannot be reached ({}): serving without the cache until it is back", address, e.getMessage());
    }
  }

  private void up() {
    if (down.compareAndSet(true, false)) {
      log.info("Redis at {} is back: caching again", address);
    }
  }
}
