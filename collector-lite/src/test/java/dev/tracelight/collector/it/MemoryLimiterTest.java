package dev.tracelight.collector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.rpc.RetryInfo;
import dev.tracelight.collector.Collector;
import dev.tracelight.collector.OtlpSamples;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** memory_limiter on the wire: above its soft limit every request is refused with a retry hint, and counted. */
class MemoryLimiterTest {
  private TestBackend backend;
  private Collector collector;

  @AfterEach
  void stop() {
    RunningCollector.stop(collector);
    backend.close();
  }

  @Test
  void refusesWithRetryHintsWhileTheHeapIsAboveTheSoftLimit() throws Exception {
    backend = TestBackend.started(TestBackend.Transport.GRPC);
    // a 2 MiB limit: any JVM heap is above it, so the limiter refuses from its first check on
    collector = RunningCollector.start("""
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: 127.0.0.1:0}
              http: {endpoint: 127.0.0.1:0}
        processors:
          memory_limiter: {check_interval: 50ms, limit_mib: 2, spike_limit_mib: 1}
        exporters:
        %s
        service:
          telemetry: {metrics: {level: none}}
          pipelines:
            traces: {receivers: [otlp], processors: [memory_limiter], exporters: [otlp/backend]}
        """.formatted(backend.exporterYaml("backend")));
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.httpAddress("otlp").getPort()
            + "/v1/traces")).header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(OtlpSamples.traces("m", 1, 4).toByteArray())).build();

    await().atMost(Duration.ofSeconds(30)).until(() ->
        http.send(post, HttpResponse.BodyHandlers.discarding()).statusCode() == 503);
    HttpResponse<byte[]> refused = http.send(post, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(com.google.rpc.Status.parseFrom(refused.body()).getMessage()).contains("memory usage above the soft limit");

    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", collector.grpcAddress("otlp").getPort())
        .usePlaintext().build();
    try {
      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
          () -> TraceServiceGrpc.newBlockingStub(channel).export(OtlpSamples.traces("g", 1, 3)));
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(StatusProto.fromThrowable(e).getDetails(0).unpack(RetryInfo.class).getRetryDelay().getSeconds())
          .isEqualTo(1);
    } finally {
      channel.shutdownNow();
    }
    assertThat(collector.telemetry().value("otelcol_processor_refused_spans", "processor", "memory_limiter"))
        .isGreaterThanOrEqualTo(4 + 3);
    assertThat(collector.telemetry().value("otelcol_receiver_accepted_spans", "receiver", "otlp", "transport", "grpc"))
        .isZero();
    long acceptedBeforeFirstCheck = collector.telemetry().value("otelcol_receiver_accepted_spans", "receiver", "otlp",
        "transport", "http");
    await().atMost(Duration.ofSeconds(30)).until(() -> backend.spans().size() == acceptedBeforeFirstCheck);
  }
}
