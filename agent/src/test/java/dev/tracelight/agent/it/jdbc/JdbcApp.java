package dev.tracelight.agent.it.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Runs the same JDBC calls against any database: plain statements with literals, a prepared query, a prepared batch,
 * a statement batch, a failing query, a callable statement, and a query through a HikariCP pool. Every literal holds
 * "secret" so that the test can prove none reaches telemetry. Args: JDBC URL, user.
 */
public final class JdbcApp {
  private JdbcApp() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String user = args[1];
    try (Connection connection = DriverManager.getConnection(url, user, "")) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(64))");
        statement.executeUpdate("INSERT INTO users (id, name) VALUES (1, 'alice-secret')");
      }
      try (PreparedStatement select = connection.prepareStatement("SELECT name FROM users WHERE id = ?")) {
        select.setInt(1, 1);
        try (ResultSet rows = select.executeQuery()) {
          rows.next();
          System.out.println("NAME=" + rows.getString(1));
        }
      }
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO users (id, name) VALUES (?, ?)")) {
        for (int id = 2; id <= 4; id++) {
          insert.setInt(1, id);
          insert.setString(2, "user-secret-" + id);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      try (Statement statement = connection.createStatement()) {
        statement.addBatch("UPDATE users SET name = 'bob-secret' WHERE id = 2");
        statement.addBatch("DELETE FROM users WHERE id = 3");
        statement.executeBatch();
        try {
          statement.executeQuery("SELECT * FROM missing_table WHERE token = 'token-secret'");
        } catch (SQLException e) {
          System.out.println("SQLSTATE=" + e.getSQLState());
        }
      }
      try (CallableStatement call = connection.prepareCall("{call abs(?)}")) {
        call.setInt(1, -5);
        call.execute();
      }
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword("");
    config.setMaximumPoolSize(1);
    try (HikariDataSource pool = new HikariDataSource(config);
        Connection connection = pool.getConnection();
        PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM users");
        ResultSet rows = count.executeQuery()) {
      rows.next();
      System.out.println("COUNT=" + rows.getLong(1));
    }
  }
}
