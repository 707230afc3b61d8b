package dev.tracelight.agent.jdbc;

import dev.tracelight.bootstrap.jdbc.JdbcCalls;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Reads java.sql objects for the bootstrap helper, which cannot see java.sql (a platform-loader module). */
final class JdbcAdapter implements JdbcCalls.Adapter {
  private JdbcAdapter() {}

  static JdbcAdapter create() {
    return new JdbcAdapter();
  }

  @Override
  public Object connectionOf(Object statement) throws SQLException {
    return statement instanceof Statement ? ((Statement) statement).getConnection() : null;
  }

  @Override
  public String urlOf(Object connection) throws SQLException {
    return connection instanceof Connection ? ((Connection) connection).getMetaData().getURL() : null;
  }

  @Override
  public String sqlStateOf(Throwable error) {
    return error instanceof SQLException ? ((SQLException) error).getSQLState() : null;
  }
}
