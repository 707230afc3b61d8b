package dev.tracelight.bootstrap.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogCorrelationTest {
  private static final Span SPAN = Span.wrap(SpanContext.create("0af7651916cd43dd8448eb211c80319c",
      "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault()));

  @Test
  void addsTheCurrentSpansIdsToACopy() {
    Map<String, String> mdc = Map.of("user", "alice");
    try (Scope ignored = SPAN.makeCurrent()) {
      assertThat(LogCorrelation.withTraceContext(mdc)).containsExactlyInAnyOrderEntriesOf(Map.of("user", "alice",
          "trace_id", "0af7651916cd43dd8448eb211c80319c", "span_id", "b7ad6b7169203331", "trace_flags", "01"));
    }
    assertThat(mdc).containsOnlyKeys("user");
  }

  @Test
  void leavesTheMapAloneWithoutASpanOrWhenTheApplicationSetTheIds() {
    Map<String, String> mdc = Map.of("user", "alice");
    assertThat(LogCorrelation.withTraceContext(mdc)).isSameAs(mdc);
    assertThat(LogCorrelation.currentIds()).isNull();
    Map<String, String> own = Map.of("trace_id", "mine");
    try (Scope ignored = SPAN.makeCurrent()) {
      assertThat(LogCorrelation.withTraceContext(own)).isSameAs(own);
    }
  }

  @Test
  void mapsEachLibrarysLevelsToSeverities() {
    assertThat(LogRecords.severityOfLogback(40000)).isEqualTo(Severity.ERROR);
    assertThat(LogRecords.severityOfLogback(20000)).isEqualTo(Severity.INFO);
    assertThat(LogRecords.severityOfLogback(5000)).isEqualTo(Severity.TRACE);
    assertThat(LogRecords.severityOfLog4j(100)).isEqualTo(Severity.FATAL);
    assertThat(LogRecords.severityOfLog4j(300)).isEqualTo(Severity.WARN);
    assertThat(LogRecords.severityOfLog4j(600)).isEqualTo(Severity.TRACE);
    assertThat(LogRecords.severityOfJul(1000)).isEqualTo(Severity.ERROR);
    assertThat(LogRecords.severityOfJul(900)).isEqualTo(Severity.WARN);
    assertThat(LogRecords.severityOfJul(700)).isEqualTo(Severity.DEBUG2);
    assertThat(LogRecords.severityOfJul(300)).isEqualTo(Severity.TRACE);
  }
}
