package dev.tracelight.bootstrap.redis;

import dev.tracelight.bootstrap.Suppression;
import dev.tracelight.bootstrap.db.DbCall;
import dev.tracelight.bootstrap.db.DbClientSpans;
import dev.tracelight.bootstrap.db.DbQuery;
import dev.tracelight.bootstrap.db.DbTarget;
import io.opentelemetry.context.Scope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What Redis client advice calls, with plain values: the connection (as a key only), its server, and the command's
 * raw arguments (Jedis) or its name, first key and argument count (Lettuce). The database index of each connection is remembered from its configuration and from SELECT commands,
 * so that {@code db.namespace} is right after a switch.
 */
public final class RedisCalls {
  private static final String SYSTEM = "redis";
  private static final Map<Object, Integer> DATABASES = Collections.synchronizedMap(new WeakHashMap<>());
  private static final Map<Object, String> SERVERS = Collections.synchronizedMap(new WeakHashMap<>());
  private static final Map<Object, DbCall> PENDING = Collections.synchronizedMap(new WeakHashMap<>());
  private static final Map<String, DbTarget> TARGETS = new ConcurrentHashMap<>();

  private RedisCalls() {}

  /** A connection was configured to use {@code database}. */
  public static void database(Object connection, int database) {
    DATABASES.put(connection, database);
  }

  /** A connection (any object that stands for it) goes to {@code host:port}, database {@code database}. */
  public static void connected(Object connection, String host, int port, int database) {
    if (host != null) { // null for a Unix domain socket: no server.address then
      SERVERS.put(connection, host + ':' + port);
    }
    DATABASES.put(connection, database);
  }

  /**
   * Starts the span of a command that completes on another thread ({@link #completed}); it is not made current.
   *
   * @param command the client's command object, the key for {@link #completed}
   */
  public static void startAsync(Object connection, Object command, String name, ByteBuffer firstKey,
      int argumentCount) {
    String server = SERVERS.get(connection);
    int colon = server == null ? -1 : server.lastIndexOf(':');
    Integer database = DATABASES.get(connection);
    DbTarget target = target(colon < 0 ? null : server.substring(0, colon),
        colon < 0 ? -1 : Integer.parseInt(server.substring(colon + 1)), database == null ? 0 : database);
    DbCall call = DbClientSpans.start(target, RedisQuery.of(name, firstKey, argumentCount), false);
    if (call != null) {
      PENDING.put(command, call);
    }
  }

  /**
   * {@code command} finished: with a Redis error reply ({@code errorReply}, e.g. {@code WRONGTYPE ...}), with an
   * exception, or neither. Only the first completion of a command counts.
   *
   * @param errorReplyType the class of exception the client makes of an error reply
   */
  public static void completed(Object command, String errorReply, String errorReplyType, Throwable error) {
    DbCall call = PENDING.remove(command);
    if (call == null) {
      return;
    }
    if (error != null) {
      DbClientSpans.end(call, error, errorPrefix(error));
    } else if (errorReply != null) {
      DbClientSpans.end(call, errorReplyType, errorPrefix(errorReply));
    } else {
      DbClientSpans.end(call, (String) null, null);
    }
  }

  /**
   * Commands a client sends on its own while it sets a connection up (AUTH, HELLO, CLIENT SETINFO, SELECT) are not
   * the application's: they run with tracing suppressed until the returned scope is closed.
   */
  public static Scope suppressConnectionSetup() {
    return Suppression.suppressed().makeCurrent();
  }

  /**
   * Starts the span of a command that completes on this thread, or returns null (nested or suppressed).
   *
   * @param arguments the command name first, then its arguments
   */
  public static DbCall start(Object connection, String host, int port, List<byte[]> arguments) {
    DbQuery query = RedisQuery.of(arguments);
    if ("SELECT".equals(query.operationName()) && arguments.size() > 1) {
      selected(connection, arguments.get(1));
    }
    Integer database = DATABASES.get(connection);
    return DbClientSpans.start(target(host, port, database == null ? 0 : database), query, true);
  }

  public static void end(DbCall call, Throwable error) {
    if (call != null) {
      DbClientSpans.end(call, error, error == null ? null : errorPrefix(error));
    }
  }

  static DbTarget target(String host, int port, int database) {
    String key = host + ':' + port + '/' + database;
    DbTarget target = TARGETS.get(key);
    if (target == null) {
      if (TARGETS.size() > 256) {
        TARGETS.clear();
      }
      target = DbTarget.create(SYSTEM, Integer.toString(database), host, port);
      TARGETS.put(key, target);
    }
    return target;
  }

  /** Redis errors start with an upper-case code ({@code WRONGTYPE}, {@code ERR}, {@code NOAUTH}); null otherwise. */
  static String errorPrefix(Throwable error) {
    return errorPrefix(error.getMessage());
  }

  private static String errorPrefix(String message) {
    if (message == null) {
      return null;
    }
    int end = message.indexOf(' ');
    String first = end < 0 ? message : message.substring(0, end);
    return !first.isEmpty() && first.chars().allMatch(c -> c >= 'A' && c <= 'Z') ? first : null;
  }

  private static void selected(Object connection, byte[] index) {
    try {
      DATABASES.put(connection, Integer.parseInt(new String(index, StandardCharsets.UTF_8)));
    } catch (NumberFormatException e) {
      // not a database index; Redis will refuse it and the connection keeps its database
    }
  }
}
