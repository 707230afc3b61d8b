package dev.tracelight.bootstrap.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.tracelight.bootstrap.Suppression;
import dev.tracelight.bootstrap.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Span names, nesting, suppression, errors and the duration histogram of database calls. */
class DbClientSpansTest {
  private static final DbTarget POSTGRES = DbTarget.create("postgresql", "shop", "db.internal", 5432);

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();

  @BeforeEach
  void installSdk() {
    Tracing.install(OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
        .build(), "test");
  }

  @Test
  void clientSpanCarriesTargetAndQueryAndIsNamedBySummary() {
    DbCall call = DbClientSpans.start(POSTGRES, DbQuery.of(SqlStatement.of("SELECT * FROM users WHERE id = 7")), true);
    DbClientSpans.end(call, (Throwable) null, null);

    SpanData span = spans.getFinishedSpanItems().get(0);
    assertThat(span.getName()).isEqualTo("SELECT users");
    assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(span.getAttributes().asMap()).containsOnly(
        entry(AttributeKey.stringKey("db.system.name"), "postgresql"),
        entry(AttributeKey.stringKey("db.namespace"), "shop"),
        entry(AttributeKey.stringKey("server.address"), "db.internal"),
        entry(AttributeKey.longKey("server.port"), 5432L),
        entry(AttributeKey.stringKey("db.operation.name"), "SELECT"),
        entry(AttributeKey.stringKey("db.collection.name"), "users"),
        entry(AttributeKey.stringKey("db.query.summary"), "SELECT users"),
        entry(AttributeKey.stringKey("db.query.text"), "SELECT * FROM users WHERE id = ?"));
  }

  @Test
  void withoutSummaryTheNameIsOperationAndCollectionThenOperationThenSystem() {
    assertThat(DbClientSpans.spanName(POSTGRES, DbQuery.create(null, "SELECT", "users", null)))
        .isEqualTo("SELECT users");
    assertThat(DbClientSpans.spanName(POSTGRES, DbQuery.create("SET k ?", "SET", null, null))).isEqualTo("SET");
    assertThat(DbClientSpans.spanName(POSTGRES, DbQuery.create(null, null, null, null))).isEqualTo("postgresql");
  }

  @Test
  void aCallInsideACallMakesNoSecondSpan() {
    DbCall outer = DbClientSpans.start(POSTGRES, DbQuery.create(null, "SELECT", null, null), true);
    assertThat(DbClientSpans.start(POSTGRES, DbQuery.create(null, "SELECT", null, null), true)).isNull();
    DbClientSpans.end(outer, (Throwable) null, null);

    assertThat(spans.getFinishedSpanItems()).hasSize(1);
    assertThat(Span.current().getSpanContext().isValid()).isFalse();
  }

  @Test
  void asynchronousCallsAreNotMadeCurrent() {
    DbCall call = DbClientSpans.start(POSTGRES, DbQuery.create(null, "GET", null, null), false);
    assertThat(Span.current().getSpanContext().isValid()).isFalse();
    DbClientSpans.end(call, (String) null, null);
    assertThat(spans.getFinishedSpanItems()).hasSize(1);
  }

  @Test
  void suppressedWorkIsNotTraced() {
    try (Scope ignored = Suppression.suppressed().makeCurrent()) {
      assertThat(DbClientSpans.start(POSTGRES, DbQuery.create(null, "SELECT", null, null), true)).isNull();
    }
  }

  @Test
  void failureKeepsItsTypeAndCodeButNotItsMessageWhichMayEchoLiterals() {
    DbCall call = DbClientSpans.start(POSTGRES, DbQuery.of(SqlStatement.of("SELECT * FROM t WHERE s = 'secret'")),
        true);
    DbClientSpans.end(call, new SQLException("syntax error near 'secret'", "42601"), "42601");

    SpanData span = spans.getFinishedSpanItems().get(0);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getStatus().getDescription()).isEmpty();
    assertThat(span.getEvents()).isEmpty();
    assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("java.sql.SQLException");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("db.response.status_code"))).isEqualTo("42601");
    assertThat(span.getAttributes().asMap().values()).noneMatch(value -> value.toString().contains("secret"));
  }

  @Test
  void durationIsRecordedInSecondsWithTheCallsLowCardinalityAttributes() {
    DbClientSpans.end(DbClientSpans.start(POSTGRES, DbQuery.of(SqlStatement.of("DELETE FROM users WHERE id = 1")),
        true), (Throwable) null, null);
    DbClientSpans.end(DbClientSpans.start(POSTGRES, DbQuery.of(SqlStatement.of("DELETE FROM users WHERE id = 2")),
        true), (Throwable) null, null);

    MetricData metric = metrics.collectAllMetrics().iterator().next();
    assertThat(metric.getName()).isEqualTo("db.client.operation.duration");
    assertThat(metric.getUnit()).isEqualTo("s");
    HistogramPointData point = metric.getHistogramData().getPoints().iterator().next();
    assertThat(point.getCount()).isEqualTo(2);
    assertThat(point.getBoundaries()).containsExactly(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0);
    assertThat(point.getAttributes()).isEqualTo(Attributes.builder()
        .put("db.system.name", "postgresql").put("db.namespace", "shop").put("server.address", "db.internal")
        .put("server.port", 5432L).put("db.operation.name", "DELETE").put("db.collection.name", "users")
        .put("db.query.summary", "DELETE users").build());
  }

  @Test
  void batchesOfOneOperationAreNamedAfterItAndMixedOnesJustBatch() {
    DbQuery inserts = DbQuery.batch(List.of(SqlStatement.of("INSERT INTO users VALUES (?, ?)")), 3);
    assertThat(inserts.operationName()).isEqualTo("BATCH INSERT");
    assertThat(inserts.summary()).isEqualTo("BATCH INSERT users");
    assertThat(inserts.batchSize()).isEqualTo(3);

    DbQuery mixed = DbQuery.batch(List.of(SqlStatement.of("UPDATE a SET x = 1"), SqlStatement.of("DELETE FROM b")),
        2);
    assertThat(mixed.operationName()).isEqualTo("BATCH");
    assertThat(mixed.summary()).isEqualTo("BATCH");
    assertThat(mixed.collectionName()).isNull();
    assertThat(mixed.queryText()).isEqualTo("UPDATE a SET x = ?; DELETE FROM b");

    DbQuery single = DbQuery.batch(List.of(SqlStatement.of("DELETE FROM b")), 1);
    assertThat(single.operationName()).isEqualTo("DELETE");
    assertThat(single.batchSize()).isZero();
  }
}
