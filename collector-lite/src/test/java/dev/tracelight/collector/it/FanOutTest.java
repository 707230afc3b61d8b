package dev.tracelight.collector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tracelight.collector.Collector;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The promise end to end: the SDK's OTLP exporters (grpc and http/protobuf) send to collector-lite, which fans out to a
 * gRPC backend and an HTTP backend; every span, data point and log record arrives at every backend exactly once.
 */
class FanOutTest {
  private TestBackend grpcBackend;
  private TestBackend httpBackend;
  private Collector collector;

  @AfterEach
  void stop() {
    RunningCollector.stop(collector);
    if (grpcBackend != null) {
      grpcBackend.close();
    }
    if (httpBackend != null) {
      httpBackend.close();
    }
  }

  @Test
  void exportsEverySignalToEveryBackendExactlyOnce() throws Exception {
    grpcBackend = TestBackend.started(TestBackend.Transport.GRPC);
    httpBackend = TestBackend.started(TestBackend.Transport.HTTP);
    collector = RunningCollector.start(config());

    SdkClients sent = sendOverBothProtocols();

    assertEveryBackendGotEverythingOnce(sent, grpcBackend, httpBackend);
    assertThat(collector.telemetry().value("otelcol_receiver_accepted_spans", "receiver", "otlp", "transport", "grpc"))
        .isEqualTo(120);
    assertThat(collector.telemetry().value("otelcol_receiver_accepted_spans", "receiver", "otlp", "transport", "http"))
        .isEqualTo(120);
  }

  @Test
  void deliversEverythingOnceWhenBackendsAnswer503ForAWhile() throws Exception {
    grpcBackend = TestBackend.started(TestBackend.Transport.GRPC);
    httpBackend = TestBackend.started(TestBackend.Transport.HTTP);
    grpcBackend.refuseNext(4);
    httpBackend.refuseNext(4);
    collector = RunningCollector.start(config());

    SdkClients sent = sendOverBothProtocols();

    assertEveryBackendGotEverythingOnce(sent, grpcBackend, httpBackend);
    assertThat(grpcBackend.refused()).isEqualTo(4);
    assertThat(httpBackend.refused()).isEqualTo(4);
  }

  @Test
  void exportsToEveryBackendWhenOneIsDownAndComesBack() throws Exception {
    grpcBackend = TestBackend.down(TestBackend.Transport.GRPC);
    httpBackend = TestBackend.started(TestBackend.Transport.HTTP);
    collector = RunningCollector.start(config());

    SdkClients sent = sendOverBothProtocols();

    // the backend that is up gets everything while the other one's queue holds it
    assertEveryBackendGotEverythingOnce(sent, httpBackend);
    assertThat(grpcBackend.spans()).isEmpty();
    assertThat(collector.telemetry().value("otelcol_exporter_queue_size", "exporter", "otlp/grpc", "pipeline", "traces"))
        .isPositive();

    grpcBackend.start();
    assertEveryBackendGotEverythingOnce(sent, grpcBackend, httpBackend);
  }

  @Test
  void deliversExactlyOnceWhenTheSdkRetriesRequestsRefusedForAFullQueue() throws Exception {
    grpcBackend = TestBackend.down(TestBackend.Transport.GRPC);
    httpBackend = TestBackend.started(TestBackend.Transport.HTTP);
    collector = RunningCollector.start(config().replace("    tls: {insecure: true}\n",
        "    tls: {insecure: true}\n    sending_queue: {queue_size: 2, num_consumers: 1}\n"));
    Thread backendComesBack = new Thread(() -> {
      try {
        Thread.sleep(2000);
        grpcBackend.start();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    backendComesBack.start();

    SdkClients sent = new SdkClients();
    sent.send("grpc", collector.grpcAddress("otlp"), 500, 0, 0); // five requests of 100 spans into a queue of two
    backendComesBack.join();

    assertEveryBackendGotEverythingOnce(sent, grpcBackend, httpBackend);
    assertThat(collector.telemetry().value("otelcol_receiver_refused_spans", "receiver", "otlp", "transport", "grpc"))
        .as("the SDK had to retry").isPositive();
  }

  private SdkClients sendOverBothProtocols() {
    SdkClients sent = new SdkClients();
    sent.send("grpc", collector.grpcAddress("otlp"), 120, 30, 10);
    sent.send("http", collector.httpAddress("otlp"), 120, 30, 10);
    return sent;
  }

  static void assertEveryBackendGotEverythingOnce(SdkClients sent, TestBackend... backends) {
    for (TestBackend b : backends) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
        assertThat(b.spanIds()).hasSizeGreaterThanOrEqualTo(sent.spanIds.size());
        assertThat(b.logBodies()).hasSizeGreaterThanOrEqualTo(sent.logBodies.size());
        assertThat(b.points()).hasSizeGreaterThanOrEqualTo(sent.points);
      });
      // exactly once: the same elements, no duplicates
      assertThat(b.spanIds()).containsExactlyInAnyOrderElementsOf(sent.spanIds);
      assertThat(b.logBodies()).containsExactlyInAnyOrderElementsOf(sent.logBodies);
      assertThat(b.points()).hasSize(sent.points).doesNotHaveDuplicates();
    }
  }

  private String config() {
    return """
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: 127.0.0.1:0}
              http: {endpoint: 127.0.0.1:0}
        processors:
          memory_limiter: {check_interval: 100ms, limit_percentage: 95, spike_limit_percentage: 5}
          batch: {send_batch_size: 100, timeout: 50ms}
        exporters:
        %s%s
        service:
          telemetry: {metrics: {level: none}}
          pipelines:
            traces: {receivers: [otlp], processors: [memory_limiter, batch], exporters: [otlp/grpc, otlphttp/http]}
            metrics: {receivers: [otlp], processors: [memory_limiter, batch], exporters: [otlp/grpc, otlphttp/http]}
            logs: {receivers: [otlp], processors: [memory_limiter, batch], exporters: [otlp/grpc, otlphttp/http]}
        """.formatted(grpcBackend.exporterYaml("grpc"), httpBackend.exporterYaml("http"));
  }

}
