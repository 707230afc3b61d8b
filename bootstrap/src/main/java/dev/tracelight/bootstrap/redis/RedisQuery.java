package dev.tracelight.bootstrap.redis;

import dev.tracelight.bootstrap.db.DbQuery;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A Redis command as a span shows it: {@code db.operation.name} is the command ({@code SET}), {@code db.query.text}
 * keeps the command and its keys and replaces every value with {@code ?} ({@code SET user:1 ?}). Commands whose
 * arguments are all keys or harmless (GET, DEL, EXPIRE…) keep them; commands that carry credentials or scripts (AUTH,
 * HELLO, EVAL…) and unknown commands keep none.
 */
public final class RedisQuery {
  /** Every argument is a key, a field name or a number that reveals nothing. */
  private static final Set<String> KEEP_ALL = Set.of("GET", "DEL", "UNLINK", "EXISTS", "MGET", "TTL", "PTTL", "TYPE",
      "INCR", "DECR", "INCRBY", "DECRBY", "EXPIRE", "PEXPIRE", "PERSIST", "STRLEN", "HGET", "HMGET", "HDEL", "HEXISTS",
      "HGETALL", "HKEYS", "HVALS", "HLEN", "LLEN", "LPOP", "RPOP", "LRANGE", "SMEMBERS", "SCARD", "SPOP", "ZCARD",
      "ZRANGE", "ZREVRANGE", "KEYS", "SCAN", "SELECT", "PING", "DBSIZE", "FLUSHDB", "FLUSHALL", "INFO", "MULTI", "EXEC",
      "DISCARD", "WATCH", "UNWATCH", "SUBSCRIBE", "UNSUBSCRIBE", "PSUBSCRIBE", "TIME", "QUIT", "GETDEL");
  /** The first argument is a key, the rest are values. */
  private static final Set<String> KEEP_KEY = Set.of("SET", "SETEX", "PSETEX", "SETNX", "GETSET", "APPEND", "GETEX",
      "LPUSH", "RPUSH", "LPUSHX", "RPUSHX", "LSET", "LREM", "LINSERT", "SADD", "SREM", "SISMEMBER", "ZADD", "ZREM",
      "ZSCORE", "ZINCRBY", "HSET", "HSETNX", "HMSET", "HINCRBY", "PUBLISH", "SETRANGE", "GEOADD", "PFADD", "XADD");

  private RedisQuery() {}

  /** @param arguments the command name first, then its arguments, as sent */
  public static DbQuery of(List<byte[]> arguments) {
    if (arguments.isEmpty()) {
      return DbQuery.create(null, null, null, null);
    }
    String command = text(arguments.get(0)).toUpperCase(Locale.ROOT);
    StringBuilder query = new StringBuilder(command);
    for (int i = 1; i < arguments.size(); i++) {
      query.append(' ');
      if (KEEP_ALL.contains(command) || (i == 1 && KEEP_KEY.contains(command))) {
        query.append(text(arguments.get(i)));
      } else {
        query.append('?');
      }
    }
    return DbQuery.create(query.toString(), command, null, null);
  }

  /**
   * For clients that expose only the first key of a command and how many arguments it has (Lettuce): the key is kept
   * where the command keeps keys, every other argument is {@code ?}.
   *
   * @param firstKey the first argument that is a key, or null
   */
  public static DbQuery of(String command, ByteBuffer firstKey, int argumentCount) {
    String operation = command.toUpperCase(Locale.ROOT);
    StringBuilder query = new StringBuilder(operation);
    int masked = argumentCount;
    if (firstKey != null && (KEEP_ALL.contains(operation) || KEEP_KEY.contains(operation))) {
      ByteBuffer key = firstKey.duplicate(); // the client's buffer: its position must not move
      byte[] bytes = new byte[key.remaining()];
      key.get(bytes);
      query.append(' ').append(text(bytes));
      masked--;
    }
    for (int i = 0; i < masked; i++) {
      query.append(" ?");
    }
    return DbQuery.create(query.toString(), operation, null, null);
  }

  private static String text(byte[] bytes) {
    return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
  }
}
