package dev.tracelight.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code it.jdbc.JdbcApp} under the agent against a real PostgreSQL server and an in-memory H2 database: one CLIENT
 * span per call with the stable database conventions, no literal anywhere, no span of the HikariCP pool itself, and
 * the {@code db.client.operation.duration} histogram.
 */
class JdbcTracingIT {
  private static final List<Path> DRIVERS = ForkedLibraries.matching("/org/postgresql/postgresql/",
      "/com/h2database/h2/", "/com/zaxxer/HikariCP/", "/org/slf4j/slf4j-api/");

  @Test
  void tracesPostgresqlCallsWithSanitizedStableAttributes() throws Exception {
    assumeThat(PostgresServer.installed()).as("PostgreSQL server binaries under " + PostgresServer.BIN).isTrue();
    try (PostgresServer postgres = PostgresServer.start(); OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      postgres.createDatabase("shop");
      ForkedApp.Result result = run(receiver, postgres.url("shop"), "postgres");

      assertThat(result.line("SQLSTATE=")).isEqualTo("42P01");
      Map<String, Object> target = Map.of("db.system.name", "postgresql", "db.namespace", "shop",
          "server.address", "127.0.0.1", "server.port", (long) postgres.port());
      assertTraced(receiver, target, "org.postgresql.util.PSQLException", "42P01");
    }
  }

  @Test
  void tracesH2CallsWithSanitizedStableAttributes() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = run(receiver, "jdbc:h2:mem:shop;DB_CLOSE_DELAY=-1", "sa");

      String sqlState = result.line("SQLSTATE=");
      assertThat(sqlState).isEqualTo("42S02");
      assertTraced(receiver, Map.of("db.system.name", "h2database", "db.namespace", "shop"),
          "org.h2.jdbc.JdbcSQLSyntaxErrorException", sqlState);
    }
  }

  private static ForkedApp.Result run(OtlpReceiver receiver, String url, String user) throws Exception {
    ForkedApp.Result result = ForkedApp.testMain("dev.tracelight.agent.it.jdbc.JdbcApp", DRIVERS, url, user)
        .exportingTo(receiver)
        .env("OTEL_METRICS_EXPORTER", "otlp")
        .env("OTEL_METRIC_EXPORT_INTERVAL", "600000") // one export, at exit: cumulative totals of the whole run
        .run();
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.line("NAME=")).isEqualTo("alice-secret");
    assertThat(result.line("COUNT=")).isEqualTo("3");
    assertThat(result.agentLogLines()).isEmpty();
    return result;
  }

  private static void assertTraced(OtlpReceiver receiver, Map<String, Object> target, String errorType,
      String sqlState) {
    List<ReceivedSpan> spans = receiver.spans();
    assertThat(spans).extracting(ReceivedSpan::name).containsExactly(
        "CREATE TABLE users", "INSERT users", "SELECT users", "BATCH INSERT users", "BATCH", "SELECT missing_table",
        "CALL abs", "SELECT users");
    assertThat(spans).allSatisfy(span -> {
      assertThat(span.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
      assertThat(span.parentSpanId()).isEmpty();
      assertThat(span.attributes()).containsAllEntriesOf(target);
      assertThat(span.attributes().values()).as("no literal in any attribute of " + span.name())
          .noneMatch(value -> value.toString().contains("secret"));
    });
    assertThat(spans.get(0).attributes()).isEqualTo(with(target, "db.operation.name", "CREATE TABLE",
        "db.collection.name", "users", "db.query.summary", "CREATE TABLE users",
        "db.query.text", "CREATE TABLE users (id INT PRIMARY KEY, name VARCHAR(?))"));
    assertThat(spans.get(1).attributes()).isEqualTo(with(target, "db.operation.name", "INSERT",
        "db.collection.name", "users", "db.query.summary", "INSERT users",
        "db.query.text", "INSERT INTO users (id, name) VALUES (?, ?)"));
    assertThat(spans.get(2).attributes()).isEqualTo(with(target, "db.operation.name", "SELECT",
        "db.collection.name", "users", "db.query.summary", "SELECT users",
        "db.query.text", "SELECT name FROM users WHERE id = ?"));
    assertThat(spans.get(3).attributes()).isEqualTo(with(target, "db.operation.name", "BATCH INSERT",
        "db.collection.name", "users", "db.query.summary", "BATCH INSERT users",
        "db.query.text", "INSERT INTO users (id, name) VALUES (?, ?)", "db.operation.batch.size", 3L));
    assertThat(spans.get(4).attributes()).isEqualTo(with(target, "db.operation.name", "BATCH",
        "db.collection.name", "users", "db.query.summary", "BATCH",
        "db.query.text", "UPDATE users SET name = ? WHERE id = ?; DELETE FROM users WHERE id = ?",
        "db.operation.batch.size", 2L));
    assertThat(spans.get(5).attributes()).isEqualTo(with(target, "db.operation.name", "SELECT",
        "db.collection.name", "missing_table", "db.query.summary", "SELECT missing_table",
        "db.query.text", "SELECT * FROM missing_table WHERE token = ?",
        "error.type", errorType, "db.response.status_code", sqlState));
    assertThat(spans.get(5).statusCode()).isEqualTo(2); // ERROR
    assertThat(spans.get(6).attributes()).isEqualTo(with(target, "db.operation.name", "CALL",
        "db.query.summary", "CALL abs", "db.query.text", "{call abs(?)}"));
    assertThat(spans.get(7).attributes()).isEqualTo(with(target, "db.operation.name", "SELECT",
        "db.collection.name", "users", "db.query.summary", "SELECT users",
        "db.query.text", "SELECT count(*) FROM users"));
    assertThat(spans.stream().filter(span -> span != spans.get(5))).allMatch(span -> span.statusCode() == 0);

    Map<Map<String, Object>, Long> counts = durationCounts(receiver.metrics());
    Map<Map<String, Object>, Long> expected = new LinkedHashMap<>();
    expected.put(with(target, "db.operation.name", "CREATE TABLE", "db.collection.name", "users",
        "db.query.summary", "CREATE TABLE users"), 1L);
    expected.put(with(target, "db.operation.name", "INSERT", "db.collection.name", "users",
        "db.query.summary", "INSERT users"), 1L);
    expected.put(with(target, "db.operation.name", "SELECT", "db.collection.name", "users",
        "db.query.summary", "SELECT users"), 2L);
    expected.put(with(target, "db.operation.name", "BATCH INSERT", "db.collection.name", "users",
        "db.query.summary", "BATCH INSERT users"), 1L);
    expected.put(with(target, "db.operation.name", "BATCH", "db.collection.name", "users",
        "db.query.summary", "BATCH"), 1L);
    expected.put(with(target, "db.operation.name", "SELECT", "db.collection.name", "missing_table",
        "db.query.summary", "SELECT missing_table", "error.type", errorType, "db.response.status_code", sqlState), 1L);
    expected.put(with(target, "db.operation.name", "CALL", "db.query.summary", "CALL abs"), 1L);
    assertThat(counts).isEqualTo(expected);
  }

  /** Data point attributes → count of db.client.operation.duration in the last export (cumulative), unit checked. */
  private static Map<Map<String, Object>, Long> durationCounts(List<ResourceMetrics> exports) {
    Map<Map<String, Object>, Long> counts = new LinkedHashMap<>();
    for (ResourceMetrics resourceMetrics : exports) {
      for (ScopeMetrics scopeMetrics : resourceMetrics.getScopeMetricsList()) {
        for (Metric metric : scopeMetrics.getMetricsList()) {
          if (metric.getName().equals("db.client.operation.duration")) {
            assertThat(metric.getUnit()).isEqualTo("s");
            assertThat(scopeMetrics.getScope().getName()).isEqualTo("dev.tracelight");
            for (HistogramDataPoint point : metric.getHistogram().getDataPointsList()) {
              assertThat(point.getExplicitBoundsList())
                  .containsExactly(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0);
              counts.put(attributes(point.getAttributesList()), point.getCount());
            }
          }
        }
      }
    }
    return counts;
  }

  static Map<String, Object> attributes(List<KeyValue> keyValues) {
    Map<String, Object> map = new TreeMap<>();
    for (KeyValue keyValue : keyValues) {
      switch (keyValue.getValue().getValueCase()) {
        case INT_VALUE -> map.put(keyValue.getKey(), keyValue.getValue().getIntValue());
        case DOUBLE_VALUE -> map.put(keyValue.getKey(), keyValue.getValue().getDoubleValue());
        case BOOL_VALUE -> map.put(keyValue.getKey(), keyValue.getValue().getBoolValue());
        default -> map.put(keyValue.getKey(), keyValue.getValue().getStringValue());
      }
    }
    return map;
  }

  private static Map<String, Object> with(Map<String, Object> base, Object... keyValues) {
    Map<String, Object> map = new TreeMap<>(base);
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put((String) keyValues[i], keyValues[i + 1]);
    }
    return map;
  }
}
