package dev.tracelight.collector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tracelight.collector.Collector;
import dev.tracelight.collector.telemetry.Telemetry;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The official OpenTelemetry Java agent traces a small JDK HttpServer app in its own JVM and sends spans, metrics and
 * logs (http/protobuf) to collector-lite, which fans out to a gRPC and an HTTP backend: each backend receives exactly
 * what collector-lite accepted, once.
 */
class OfficialAgentTest {
  private static final int REQUESTS = 5;
  private TestBackend grpcBackend;
  private TestBackend httpBackend;
  private Collector collector;
  private Process app;

  @AfterEach
  void stop() {
    if (app != null) {
      app.destroyForcibly();
    }
    RunningCollector.stop(collector);
    grpcBackend.close();
    httpBackend.close();
  }

  @Test
  void deliversWhatTheOfficialAgentSendsToEveryBackendExactlyOnce() throws Exception {
    grpcBackend = TestBackend.started(TestBackend.Transport.GRPC);
    httpBackend = TestBackend.started(TestBackend.Transport.HTTP);
    collector = RunningCollector.start("""
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: 127.0.0.1:0}
              http: {endpoint: 127.0.0.1:0}
        processors:
          batch: {send_batch_size: 200, timeout: 100ms}
        exporters:
        %s%s
        service:
          telemetry: {metrics: {level: none}}
          pipelines:
            traces: {receivers: [otlp], processors: [batch], exporters: [otlp/grpc, otlphttp/http]}
            metrics: {receivers: [otlp], processors: [batch], exporters: [otlp/grpc, otlphttp/http]}
            logs: {receivers: [otlp], processors: [batch], exporters: [otlp/grpc, otlphttp/http]}
        """.formatted(grpcBackend.exporterYaml("grpc"), httpBackend.exporterYaml("http")));

    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-javaagent:" + System.getProperty("official.agent.jar"),
        "-cp", Path.of("target", "test-classes").toAbsolutePath().toString(),
        SampleApp.class.getName(), Integer.toString(REQUESTS))
        .redirectErrorStream(true)
        .redirectOutput(new File("target/official-agent-app.log"));
    pb.environment().put("OTEL_SERVICE_NAME", "sample-app");
    pb.environment().put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + collector.httpAddress("otlp").getPort());
    pb.environment().put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
    // one metric export, the one at exit: the SDK's PeriodicMetricReader drops its final collection when a periodic
    // export is still in flight at shutdown ("Exporter busy"), which a 1 s interval makes likely on a loaded machine
    pb.environment().put("OTEL_METRIC_EXPORT_INTERVAL", "600000");
    pb.environment().put("OTEL_BSP_SCHEDULE_DELAY", "100");
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    app = pb.start();
    assertThat(app.waitFor(180, TimeUnit.SECONDS)).as("sample app exits").isTrue();
    assertThat(app.exitValue()).isZero();

    // the agent flushed on exit; once every queue is empty, each backend must hold exactly what was accepted
    Telemetry t = collector.telemetry();
    await().atMost(Duration.ofSeconds(60)).until(() -> List.of("otlp/grpc", "otlphttp/http").stream().allMatch(e ->
        List.of("traces", "metrics", "logs").stream()
            .allMatch(p -> t.value("otelcol_exporter_queue_size", "exporter", e, "pipeline", p) == 0)));
    long spans = t.value("otelcol_receiver_accepted_spans", "receiver", "otlp", "transport", "http");
    long points = t.value("otelcol_receiver_accepted_metric_points", "receiver", "otlp", "transport", "http");
    long logs = t.value("otelcol_receiver_accepted_log_records", "receiver", "otlp", "transport", "http");
    assertThat(spans).isEqualTo(2 * REQUESTS); // one server and one client span per request
    assertThat(points).isPositive();
    assertThat(logs).isPositive();
    for (TestBackend b : List.of(grpcBackend, httpBackend)) {
      assertThat(b.spanIds()).hasSize((int) spans).doesNotHaveDuplicates();
      assertThat(b.points()).hasSize((int) points).doesNotHaveDuplicates();
      assertThat(b.logs()).hasSize((int) logs);
      assertThat(b.spans()).filteredOn(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER).hasSize(REQUESTS)
          .allSatisfy(s -> assertThat(s.getName()).startsWith("GET"));
      assertThat(b.spans()).filteredOn(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT).hasSize(REQUESTS);
      assertThat(b.logBodies()).contains("served " + REQUESTS + " requests");
      assertThat(b.points()).anyMatch(p -> p.startsWith("http.server.request.duration|"));
    }
    assertThat(grpcBackend.spanIds()).containsExactlyInAnyOrderElementsOf(httpBackend.spanIds());
    assertThat(grpcBackend.points()).containsExactlyInAnyOrderElementsOf(httpBackend.points());
  }
}
