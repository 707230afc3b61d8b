package dev.tracelight.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelight.collector.Collector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two collector-lite instances chained over gRPC (node agent to gateway), as a DaemonSet sends to a central one. */
class ChainedCollectorsTest {
  private TestBackend grpcBackend;
  private TestBackend httpBackend;
  private Collector gateway;
  private Collector agent;

  @AfterEach
  void stop() {
    RunningCollector.stop(agent);
    RunningCollector.stop(gateway);
    grpcBackend.close();
    httpBackend.close();
  }

  @Test
  void forwardsThroughASecondCollectorExactlyOnce() throws Exception {
    grpcBackend = TestBackend.started(TestBackend.Transport.GRPC);
    httpBackend = TestBackend.started(TestBackend.Transport.HTTP);
    gateway = RunningCollector.start("""
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: 127.0.0.1:0}
        processors:
          batch: {send_batch_size: 500, timeout: 50ms}
        exporters:
        %s%s
        service:
          telemetry: {metrics: {level: none}}
          pipelines:
            traces: {receivers: [otlp], processors: [batch], exporters: [otlp/grpc, otlphttp/http]}
            metrics: {receivers: [otlp], processors: [batch], exporters: [otlp/grpc, otlphttp/http]}
            logs: {receivers: [otlp], processors: [batch], exporters: [otlp/grpc, otlphttp/http]}
        """.formatted(grpcBackend.exporterYaml("grpc"), httpBackend.exporterYaml("http")));
    agent = RunningCollector.start("""
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: 127.0.0.1:0}
              http: {endpoint: 127.0.0.1:0}
        processors:
          batch: {send_batch_size: 100, timeout: 20ms}
        exporters:
          otlp/gateway:
            endpoint: ${env:GATEWAY}
            tls: {insecure: true}
            retry_on_failure: {initial_interval: 50ms}
        service:
          telemetry: {metrics: {level: none}}
          pipelines:
            traces: {receivers: [otlp], processors: [batch], exporters: [otlp/gateway]}
            metrics: {receivers: [otlp], processors: [batch], exporters: [otlp/gateway]}
            logs: {receivers: [otlp], processors: [batch], exporters: [otlp/gateway]}
        """, java.util.Map.of("GATEWAY", "127.0.0.1:" + gateway.grpcAddress("otlp").getPort()));

    SdkClients sent = new SdkClients();
    sent.send("grpc", agent.grpcAddress("otlp"), 150, 20, 5);
    sent.send("http", agent.httpAddress("otlp"), 150, 20, 5);

    FanOutTest.assertEveryBackendGotEverythingOnce(sent, grpcBackend, httpBackend);
    assertThat(gateway.telemetry().value("otelcol_receiver_accepted_spans", "receiver", "otlp", "transport", "grpc"))
        .isEqualTo(300);
  }

  @Test
  void forwardsOverOtlpHttpWithJsonEncodingKeepingIds() throws Exception {
    grpcBackend = TestBackend.started(TestBackend.Transport.GRPC);
    httpBackend = TestBackend.started(TestBackend.Transport.HTTP);
    gateway = RunningCollector.start("""
        receivers:
          otlp:
            protocols:
              http: {endpoint: 127.0.0.1:0}
        exporters:
        %s%s
        service:
          telemetry: {metrics: {level: none}}
          pipelines:
            traces: {receivers: [otlp], exporters: [otlp/grpc, otlphttp/http]}
            metrics: {receivers: [otlp], exporters: [otlp/grpc, otlphttp/http]}
            logs: {receivers: [otlp], exporters: [otlp/grpc, otlphttp/http]}
        """.formatted(grpcBackend.exporterYaml("grpc"), httpBackend.exporterYaml("http")));
    agent = RunningCollector.start("""
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: 127.0.0.1:0}
        exporters:
          otlphttp/gateway:
            endpoint: http://127.0.0.1:%d
            encoding: json
            retry_on_failure: {initial_interval: 50ms}
        service:
          telemetry: {metrics: {level: none}}
          pipelines:
            traces: {receivers: [otlp], exporters: [otlphttp/gateway]}
            metrics: {receivers: [otlp], exporters: [otlphttp/gateway]}
            logs: {receivers: [otlp], exporters: [otlphttp/gateway]}
        """.formatted(gateway.httpAddress("otlp").getPort()));

    SdkClients sent = new SdkClients();
    sent.send("grpc", agent.grpcAddress("otlp"), 50, 10, 5);

    FanOutTest.assertEveryBackendGotEverythingOnce(sent, grpcBackend, httpBackend);
  }
}
