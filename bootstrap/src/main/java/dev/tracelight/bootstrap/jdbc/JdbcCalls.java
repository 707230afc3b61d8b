package dev.tracelight.bootstrap.jdbc;

import dev.tracelight.bootstrap.AgentLog;
import dev.tracelight.bootstrap.db.DbCall;
import dev.tracelight.bootstrap.db.DbClientSpans;
import dev.tracelight.bootstrap.db.DbQuery;
import dev.tracelight.bootstrap.db.DbTarget;
import dev.tracelight.bootstrap.db.SqlStatement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What JDBC advice calls. java.sql lives in the platform class loader, which the boot loader cannot see, so this class
 * takes statements and connections as {@code Object} and reads them through an {@link Adapter} that the agent's jdbc
 * package installs at start-up. A prepared statement's SQL is remembered when it is prepared (JDBC has no getter for
 * it), and a batch's statements while they are added; both in weak maps, so nothing outlives the driver's objects.
 */
public final class JdbcCalls {
  private static final Map<Object, DbTarget> TARGETS = Collections.synchronizedMap(new WeakHashMap<>());
  private static final Map<Object, StatementState> STATEMENTS = Collections.synchronizedMap(new WeakHashMap<>());
  private static volatile Adapter adapter;

  private JdbcCalls() {}

  /** Reads java.sql objects for this class; implemented in the agent class loader. */
  public interface Adapter {
    /** The driver's connection that made {@code statement}, or null. */
    Object connectionOf(Object statement) throws Exception;

    /** The JDBC URL of {@code connection}, or null. */
    String urlOf(Object connection) throws Exception;

    /** The SQLState when {@code error} is an SQLException, else null. */
    String sqlStateOf(Throwable error);
  }

  public static void install(Adapter jdbcAdapter) {
    adapter = jdbcAdapter;
  }

  /** {@code Connection.prepareStatement(sql…)} / {@code prepareCall(sql…)} returned {@code statement}. */
  public static void prepared(Object statement, String sql) {
    if (statement != null && sql != null) {
      STATEMENTS.put(statement, new StatementState(SqlStatement.of(sql)));
    }
  }

  /** {@code addBatch(sql)} on a plain statement, or {@code addBatch()} (sql null) on a prepared one. */
  public static void addBatch(Object statement, String sql) {
    StatementState state = state(statement);
    synchronized (state) {
      if (sql != null) {
        state.batch.add(SqlStatement.of(sql));
      }
      state.batchCount++;
    }
  }

  public static void clearBatch(Object statement) {
    StatementState state = STATEMENTS.get(statement);
    if (state != null) {
      synchronized (state) {
        state.clearBatch();
      }
    }
  }

  /**
   * Starts the span of one execution: {@code sql} as passed to {@code execute(sql)}, or null for a prepared
   * statement's {@code execute()}. Returns null when not traced (nested in a call already traced, suppressed).
   */
  public static DbCall start(Object statement, String sql) {
    SqlStatement parsed = sql != null ? SqlStatement.of(sql) : preparedSql(statement);
    if (parsed != null && parsed.queryText().isEmpty()) {
      return null; // a driver's liveness check (pgjdbc's isValid runs ""), e.g. when a pool validates a connection
    }
    DbQuery query = parsed != null ? DbQuery.of(parsed) : DbQuery.create(null, null, null, null);
    return DbClientSpans.start(targetOf(statement), query, true);
  }

  /** Starts the span of {@code executeBatch()}: everything added since the last batch ran. */
  public static DbCall startBatch(Object statement) {
    StatementState state = STATEMENTS.get(statement);
    DbQuery query = DbQuery.create(null, "BATCH", null, "BATCH");
    if (state != null) {
      synchronized (state) {
        List<SqlStatement> statements = state.prepared != null ? List.of(state.prepared) : List.copyOf(state.batch);
        if (!statements.isEmpty()) {
          query = DbQuery.batch(statements, state.batchCount);
        }
        state.clearBatch(); // the driver clears its batch when it runs, whatever the outcome
      }
    }
    return DbClientSpans.start(targetOf(statement), query, true);
  }

  public static void end(DbCall call, Throwable error) {
    if (call == null) {
      return;
    }
    Adapter current = adapter;
    DbClientSpans.end(call, error, error == null || current == null ? null : current.sqlStateOf(error));
  }

  private static SqlStatement preparedSql(Object statement) {
    StatementState state = STATEMENTS.get(statement);
    return state == null ? null : state.prepared;
  }

  private static StatementState state(Object statement) {
    synchronized (STATEMENTS) {
      return STATEMENTS.computeIfAbsent(statement, ignored -> new StatementState(null));
    }
  }

  /** The connection's target, read once per connection. */
  private static DbTarget targetOf(Object statement) {
    Adapter current = adapter;
    if (current == null) {
      return JdbcUrl.parse(null);
    }
    try {
      Object connection = current.connectionOf(statement);
      if (connection == null) {
        return JdbcUrl.parse(null);
      }
      DbTarget target = TARGETS.get(connection);
      if (target == null) {
        target = JdbcUrl.parse(current.urlOf(connection));
        TARGETS.put(connection, target);
      }
      return target;
    } catch (Exception | LinkageError e) {
      AgentLog.warnOnce("jdbc-url:" + statement.getClass().getName(), "jdbc: cannot read the connection URL of "
          + statement.getClass().getName() + "; its spans have db.system.name=other_sql", e);
      return JdbcUrl.parse(null);
    }
  }

  private static final class StatementState {
    final SqlStatement prepared;
    final List<SqlStatement> batch = new ArrayList<>();
    long batchCount;

    StatementState(SqlStatement prepared) {
      this.prepared = prepared;
    }

    void clearBatch() {
      batch.clear();
      batchCount = 0;
    }
  }
}
