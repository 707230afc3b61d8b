package dev.tracelight.agent.jdbc;

import dev.tracelight.agent.InstrumentationModule;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.jdbc.JdbcCalls;
import java.util.List;

/**
 * CLIENT spans for JDBC statements of the drivers named in {@link JdbcDrivers}, with the stable database conventions.
 * Only the drivers' own classes are instrumented, so a pool (HikariCP…) that wraps them adds no span of its own.
 * The advice reads nothing but {@code Object} and {@code String} values, so no shape is required beyond the names.
 */
public final class JdbcModule extends InstrumentationModule {
  public JdbcModule() {
    super("jdbc");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return List.of(new ConnectionInstrumentation(), new StatementInstrumentation());
  }

  @Override
  public void install() {
    JdbcCalls.install(JdbcAdapter.create());
  }
}
