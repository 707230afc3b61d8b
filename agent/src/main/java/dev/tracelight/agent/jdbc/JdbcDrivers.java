package dev.tracelight.agent.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The driver classes that implement Connection and Statement, by name: a name matcher costs nothing for the other
 * classes the JVM loads, where "implements java.sql.Statement" would parse the hierarchy of every one of them.
 * Tested: PostgreSQL (pgjdbc 42.x) and H2 2.x. Another driver is one line each here, plus a test.
 */
final class JdbcDrivers {
  static final String[] CONNECTIONS = {
      "org.postgresql.jdbc.PgConnection",
      "org.h2.jdbc.JdbcConnection",
  };
  static final String[] STATEMENTS = {
      "org.postgresql.jdbc.PgStatement",
      "org.postgresql.jdbc.PgPreparedStatement",
      "org.postgresql.jdbc.PgCallableStatement",
      "org.h2.jdbc.JdbcStatement",
      "org.h2.jdbc.JdbcPreparedStatement",
      "org.h2.jdbc.JdbcCallableStatement",
  };

  private JdbcDrivers() {}

  static ElementMatcher<TypeDescription> connections() {
    return namedOneOf(CONNECTIONS);
  }

  static ElementMatcher<TypeDescription> statements() {
    return namedOneOf(STATEMENTS);
  }
}
