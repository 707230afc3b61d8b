package dev.tracelight.bootstrap.jdbc;

import dev.tracelight.bootstrap.db.DbTarget;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads system, database and server from a JDBC URL ({@code jdbc:postgresql://db:5432/shop?ssl=true},
 * {@code jdbc:h2:mem:test}, {@code jdbc:oracle:thin:@//db:1521/svc}…). Never throws: what it cannot read is left out.
 * User name and password in the URL are never part of the result.
 */
public final class JdbcUrl {
  private static final int CACHE_SIZE = 64;
  private static final Map<String, DbTarget> CACHE = new ConcurrentHashMap<>();

  private JdbcUrl() {}

  public static DbTarget parse(String url) {
    if (url == null) {
      return DbTarget.create("other_sql", null, null, -1);
    }
    DbTarget cached = CACHE.get(url);
    if (cached == null) {
      cached = read(url);
      if (CACHE.size() >= CACHE_SIZE) {
        CACHE.clear();
      }
      CACHE.put(url, cached);
    }
    return cached;
  }

  private static DbTarget read(String url) {
    String rest = url.startsWith("jdbc:") ? url.substring(5) : url;
    int colon = rest.indexOf(':');
    String subprotocol = (colon < 0 ? rest : rest.substring(0, colon)).toLowerCase(Locale.ROOT);
    rest = colon < 0 ? "" : rest.substring(colon + 1);
    switch (subprotocol) {
      case "postgresql":
      case "pgsql":
        return hierarchical("postgresql", rest, 5432);
      case "mysql":
        return hierarchical("mysql", rest, 3306);
      case "mariadb":
        return hierarchical("mariadb", rest, 3306);
      case "sqlserver":
        return sqlServer(rest);
      case "oracle":
        return oracle(rest);
      case "h2":
        return embeddedOrServer("h2database", rest, 9092);
      case "hsqldb":
        return embeddedOrServer("hsqldb", rest, 9001);
      case "derby":
        return embeddedOrServer("derby", rest, 1527);
      case "sqlite":
        return DbTarget.create("sqlite", path(rest), null, -1);
      case "db2":
        return hierarchical("ibm.db2", rest, 50000);
      case "clickhouse":
        return hierarchical("clickhouse", rest, 8123);
      default:
        return DbTarget.create("other_sql", null, null, -1);
    }
  }

  /** {@code //host[:port][,host2...]/database[?params]} or {@code database}. */
  private static DbTarget hierarchical(String system, String rest, int defaultPort) {
    rest = cut(rest, '?');
    if (!rest.startsWith("//")) {
      return DbTarget.create(system, emptyToNull(cut(rest, ';')), "localhost", defaultPort);
    }
    String authority = rest.substring(2);
    int slash = authority.indexOf('/');
    String database = slash < 0 ? null : emptyToNull(cut(authority.substring(slash + 1), ';'));
    authority = slash < 0 ? cut(authority, ';') : authority.substring(0, slash);
    return server(system, database, authority, defaultPort);
  }

  /** {@code //host[\instance][:port][;databaseName=db;...]}. */
  private static DbTarget sqlServer(String rest) {
    String database = null;
    for (String part : rest.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        if (key.equals("databasename") || key.equals("database")) {
          database = part.substring(eq + 1).trim();
        }
      }
    }
    String authority = cut(rest.startsWith("//") ? rest.substring(2) : rest, ';');
    authority = authority.replaceFirst("\\\\[^:]*", ""); // named instance
    return server("microsoft.sql_server", database, authority, 1433);
  }

  /** {@code thin:@host:port:sid}, {@code thin:@//host:port/service}; TNS descriptors are left unread. */
  private static DbTarget oracle(String rest) {
    int at = rest.indexOf('@');
    if (at < 0) {
      return DbTarget.create("oracle.db", null, null, -1);
    }
    String target = rest.substring(at + 1);
    if (target.startsWith("(")) {
      return DbTarget.create("oracle.db", null, null, -1);
    }
    if (target.startsWith("//")) {
      target = target.substring(2);
      int slash = target.indexOf('/');
      String service = slash < 0 ? null : emptyToNull(cut(target.substring(slash + 1), '?'));
      return server("oracle.db", service, slash < 0 ? target : target.substring(0, slash), 1521);
    }
    String[] parts = target.split(":");
    long port = parts.length > 1 ? parsePort(parts[1]) : 1521;
    return DbTarget.create("oracle.db", parts.length > 2 ? parts[2] : null, parts[0], port);
  }

  /** H2/HSQLDB/Derby: {@code mem:name}, {@code file:path}, a bare path, or {@code tcp://host:port/path}. */
  private static DbTarget embeddedOrServer(String system, String rest, int defaultPort) {
    rest = cut(rest, ';');
    int scheme = rest.indexOf("://");
    if (scheme > 0) {
      String authorityAndPath = rest.substring(scheme + 3);
      int slash = authorityAndPath.indexOf('/');
      String database = slash < 0 ? null : emptyToNull(authorityAndPath.substring(slash + 1));
      return server(system, database, slash < 0 ? authorityAndPath : authorityAndPath.substring(0, slash),
          defaultPort);
    }
    return DbTarget.create(system, path(rest), null, -1);
  }

  private static String path(String rest) {
    for (String prefix : new String[] {"mem:", "file:", "res:", "memory:", "directory:"}) {
      if (rest.startsWith(prefix)) {
        return emptyToNull(rest.substring(prefix.length()));
      }
    }
    return emptyToNull(cut(rest, '?'));
  }

  private static DbTarget server(String system, String database, String authority, int defaultPort) {
    String first = cut(authority, ',');
    int userInfo = first.lastIndexOf('@');
    if (userInfo >= 0) {
      first = first.substring(userInfo + 1);
    }
    String host = first;
    long port = defaultPort;
    if (first.startsWith("[")) { // [::1]:5432
      int close = first.indexOf(']');
      host = first.substring(1, Math.max(close, 1));
      if (close > 0 && close + 1 < first.length() && first.charAt(close + 1) == ':') {
        port = parsePort(first.substring(close + 2));
      }
    } else {
      int colon = first.lastIndexOf(':');
      if (colon >= 0) {
        host = first.substring(0, colon);
        port = parsePort(first.substring(colon + 1));
      }
    }
    return DbTarget.create(system, database, host.isEmpty() ? "localhost" : host, port);
  }

  private static long parsePort(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String cut(String text, char at) {
    int i = text.indexOf(at);
    return i < 0 ? text : text.substring(0, i);
  }

  private static String emptyToNull(String text) {
    return text == null || text.isEmpty() ? null : text;
  }
}
