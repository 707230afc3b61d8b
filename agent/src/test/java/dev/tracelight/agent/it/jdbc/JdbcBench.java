package dev.tracelight.agent.it.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * A rough per-call cost of JDBC tracing, not a test: the same prepared query on in-memory H2, timed after a warm-up.
 * Run it with and without {@code -javaagent} (see agent/README.md). Args: calls per round (default 200000).
 */
public final class JdbcBench {
  private JdbcBench() {}

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:bench", "sa", "")) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(64))");
        statement.execute("INSERT INTO users VALUES (1, 'alice')");
      }
      try (PreparedStatement select = connection.prepareStatement("SELECT name FROM users WHERE id = ?")) {
        select.setInt(1, 1);
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
          long start = System.nanoTime();
          for (int i = 0; i < calls; i++) {
            try (ResultSet rows = select.executeQuery()) {
              rows.next();
            }
          }
          best = Math.min(best, (System.nanoTime() - start) / calls);
        }
        System.out.println("ns per executeQuery (best of 5 rounds of " + calls + "): " + best);
      }
    }
  }
}
