package dev.tracelight.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.logs.v1.SeverityNumber;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code it.logback.LogbackApp} under the agent: its pattern prints the ids of the span that was current, and its
 * records reach the OTLP receiver with the same ids, severity, logger name and exception attributes.
 */
class LogbackLogsIT {
  private static final Path LOGBACK = Path.of("target/it-libs/logback");
  private static final Path LOGBACK12 = Path.of("target/it-libs/logback12");

  @Test
  void logLinesCarryTheTraceAndRecordsArriveWithTheSameIds() throws Exception {
    assertCorrelatedAndExported(LOGBACK);
  }

  /** Logback 1.2 on SLF4J 1.7, as Spring Boot 2 applications have it. */
  @Test
  void logback12LinesCarryTheTraceAndRecordsArriveWithTheSameIds() throws Exception {
    assertCorrelatedAndExported(LOGBACK12);
  }

  private static void assertCorrelatedAndExported(Path libraries) throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = run(receiver, libraries, Map.of());

      // trace_flags 03: sampled, and the W3C level 2 "random trace id" flag the SDK sets on ids it generates
      ReceivedSpan server = serverSpan(receiver);
      assertThat(result.stdout().lines().filter(line -> line.startsWith("LOG ")).toList()).containsExactly(
          "LOG INFO trace_id= span_id= trace_flags= shop.orders starting without a span",
          "LOG INFO trace_id=" + server.traceId() + " span_id=" + server.spanId()
              + " trace_flags=03 shop.orders order 42 accepted",
          "LOG ERROR trace_id=" + server.traceId() + " span_id=" + server.spanId()
              + " trace_flags=03 shop.orders payment failed");
      assertThat(result.stdout()).contains("java.lang.IllegalStateException: card declined");

      assertRecords(receiver, server, "INFO", "ERROR", SeverityNumber.SEVERITY_NUMBER_ERROR,
          "dev.tracelight.agent.it.logback.LogbackApp");
    }
  }

  @Test
  void eachPartCanBeTurnedOff() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = run(receiver, LOGBACK, Map.of("OTEL_INSTRUMENTATION_LOGBACK_MDC_ENABLED", "false",
          "OTEL_INSTRUMENTATION_LOGBACK_APPENDER_ENABLED", "false"));

      assertThat(result.stdout().lines().filter(line -> line.startsWith("LOG ")))
          .hasSize(3).allMatch(line -> line.contains("trace_id= span_id= trace_flags= "));
      assertThat(receiver.spans()).hasSize(2); // tracing itself stays on
      assertThat(scopeLogs(receiver.logs())).isEmpty();
    }
  }

  private static ForkedApp.Result run(OtlpReceiver receiver, Path libraries, Map<String, String> env)
      throws Exception {
    List<Path> classPath;
    try (Stream<Path> jars = Files.list(libraries)) {
      classPath = jars.sorted().toList();
    }
    ForkedApp app = ForkedApp.testMain("dev.tracelight.agent.it.logback.LogbackApp", classPath)
        .exportingTo(receiver)
        .env("OTEL_LOGS_EXPORTER", "otlp")
        .env("OTEL_BLRP_SCHEDULE_DELAY", "100");
    env.forEach(app::env);
    ForkedApp.Result result = app.run();
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.line("STATUS=")).isEqualTo("204");
    assertThat(result.agentLogLines()).isEmpty();
    return result;
  }

  /**
   * Three records of logger {@code shop.orders}: one outside any span, then INFO and an error with an
   * IllegalStateException inside {@code server}'s span, with its ids.
   */
  static void assertRecords(OtlpReceiver receiver, ReceivedSpan server, String infoText, String errorText,
      SeverityNumber errorSeverity, String appClass) {
    List<ScopeLogs> scopes = scopeLogs(receiver.logs());
    assertThat(scopes).extracting(scope -> scope.getScope().getName()).containsOnly("shop.orders");
    List<LogRecord> records = scopes.stream().flatMap(scope -> scope.getLogRecordsList().stream()).toList();
    assertThat(records).extracting(record -> record.getBody().getStringValue())
        .containsExactly("starting without a span", "order 42 accepted", "payment failed");
    assertThat(records).extracting(LogRecord::getSeverityNumber).containsExactly(
        SeverityNumber.SEVERITY_NUMBER_INFO, SeverityNumber.SEVERITY_NUMBER_INFO, errorSeverity);
    assertThat(records).extracting(LogRecord::getSeverityText).containsExactly(infoText, infoText, errorText);
    assertThat(records).allSatisfy(record -> assertThat(record.getTimeUnixNano()).isPositive());

    assertThat(records.get(0).getTraceId().isEmpty()).isTrue();
    assertThat(records.get(0).getSpanId().isEmpty()).isTrue();
    assertThat(attributes(records.get(0))).containsEntry("thread.name", "main").containsKey("thread.id")
        .doesNotContainKey("exception.type");
    for (LogRecord record : records.subList(1, 3)) {
      assertThat(hex(record.getTraceId().toByteArray())).isEqualTo(server.traceId());
      assertThat(hex(record.getSpanId().toByteArray())).isEqualTo(server.spanId());
      assertThat(record.getFlags() & 0xff).isEqualTo(3);
    }
    Map<String, Object> error = attributes(records.get(2));
    assertThat(error).containsEntry("exception.type", "java.lang.IllegalStateException")
        .containsEntry("exception.message", "card declined")
        .containsEntry("thread.name", attributes(records.get(1)).get("thread.name"));
    assertThat((String) error.get("exception.stacktrace"))
        .startsWith("java.lang.IllegalStateException: card declined")
        .contains("at " + appClass);
  }

  static ReceivedSpan serverSpan(OtlpReceiver receiver) {
    return receiver.spans().stream().filter(span -> span.kind() == SpanKind.SPAN_KIND_SERVER).findFirst()
        .orElseThrow();
  }

  static List<ScopeLogs> scopeLogs(List<ResourceLogs> exports) {
    List<ScopeLogs> scopes = new ArrayList<>();
    exports.forEach(resourceLogs -> scopes.addAll(resourceLogs.getScopeLogsList()));
    return scopes;
  }

  private static Map<String, Object> attributes(LogRecord record) {
    return JdbcTracingIT.attributes(record.getAttributesList());
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
