package dev.tracelight.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.logs.v1.SeverityNumber;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Log4j 2 (ThreadContext fields and records) and java.util.logging (records) under the agent. */
class Log4jAndJulLogsIT {
  @Test
  void log4jLinesCarryTheTraceAndRecordsArriveWithTheSameIds() throws Exception {
    List<Path> classPath = ForkedLibraries.matching("/org/apache/logging/log4j/log4j-api/",
        "/org/apache/logging/log4j/log4j-core/");
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = exportingLogs(ForkedApp.testMain("dev.tracelight.agent.it.log4j.Log4jApp", classPath)
          .env("LOG4J_CONFIGURATION_FILE",
              ForkedApp.TEST_CLASSES.resolve("dev/tracelight/agent/it/log4j/log4j2.xml").toString()), receiver);

      ReceivedSpan server = LogbackLogsIT.serverSpan(receiver);
      assertThat(result.stdout().lines().filter(line -> line.startsWith("LOG ")).toList()).containsExactly(
          "LOG INFO trace_id= span_id= trace_flags= shop.orders starting without a span",
          "LOG INFO trace_id=" + server.traceId() + " span_id=" + server.spanId()
              + " trace_flags=03 shop.orders order 42 accepted",
          "LOG ERROR trace_id=" + server.traceId() + " span_id=" + server.spanId()
              + " trace_flags=03 shop.orders payment failed");
      LogbackLogsIT.assertRecords(receiver, server, "INFO", "ERROR", SeverityNumber.SEVERITY_NUMBER_ERROR,
          "dev.tracelight.agent.it.log4j.Log4jApp");
    }
  }

  @Test
  void julRecordsArriveWithTheTraceOfTheCurrentSpan() throws Exception {
    assertJulRecordsArrive(ForkedApp.testMain("dev.tracelight.agent.it.jul.JulApp", List.of()));
  }

  @Test
  void julRecordsMadeBeforeTheSdkIsBuiltArriveToo() throws Exception {
    // the SDK is built beside the application's start; held back 1.5 s, it is still missing when main logs first
    assertJulRecordsArrive(ForkedApp.testMain("dev.tracelight.agent.it.jul.JulApp", List.of())
        .systemProperty("tracelight.testing.sdk-build-delay-ms", "1500"));
  }

  private static void assertJulRecordsArrive(ForkedApp julApp) throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      exportingLogs(julApp, receiver);

      LogbackLogsIT.assertRecords(receiver, LogbackLogsIT.serverSpan(receiver), "INFO", "SEVERE",
          SeverityNumber.SEVERITY_NUMBER_ERROR, "dev.tracelight.agent.it.jul.JulApp");
    }
  }

  @Test
  void julBridgeCanBeTurnedOff() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      exportingLogs(ForkedApp.testMain("dev.tracelight.agent.it.jul.JulApp", List.of())
          .env("OTEL_INSTRUMENTATION_JAVA_UTIL_LOGGING_ENABLED", "false"), receiver);

      assertThat(receiver.spans()).hasSize(2);
      assertThat(LogbackLogsIT.scopeLogs(receiver.logs())).isEmpty();
    }
  }

  private static ForkedApp.Result exportingLogs(ForkedApp app, OtlpReceiver receiver) throws Exception {
    ForkedApp.Result result = app.exportingTo(receiver)
        .env("OTEL_LOGS_EXPORTER", "otlp")
        .env("OTEL_BLRP_SCHEDULE_DELAY", "100")
        .run();
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    assertThat(result.line("STATUS=")).isEqualTo("204");
    assertThat(result.agentLogLines()).isEmpty();
    return result;
  }
}
