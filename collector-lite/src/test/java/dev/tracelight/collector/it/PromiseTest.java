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
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A 2xx means the data sits in the queue of every exporter; when one queue is full the request is refused before it is
 * put anywhere, so the client's retry neither loses nor duplicates data.
 */
class PromiseTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private TestBackend down;
  private TestBackend up;
  private Collector collector;
  private ManagedChannel channel;

  @AfterEach
  void stop() {
    if (channel != null) {
      channel.shutdownNow();
    }
    RunningCollector.stop(collector);
    down.close();
    up.close();
  }

  @Test
  void refusesBeforeEnqueueingWhenAnyQueueIsFull() throws Exception {
    down = TestBackend.down(TestBackend.Transport.GRPC);
    up = TestBackend.started(TestBackend.Transport.HTTP);
    collector = RunningCollector.start("""
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: 127.0.0.1:0}
              http: {endpoint: 127.0.0.1:0}
        exporters:
          otlp/down:
            endpoint: %s
            tls: {insecure: true}
            sending_queue: {queue_size: 2, num_consumers: 1}
            retry_on_failure: {initial_interval: 50ms, max_interval: 100ms, max_elapsed_time: 0}
          otlphttp/up:
            endpoint: %s
        service:
          telemetry: {metrics: {level: none}}
          pipelines:
            traces: {receivers: [otlp], exporters: [otlp/down, otlphttp/up]}
        """.formatted(down.endpoint(), up.endpoint()));
    List<ExportTraceServiceRequest> requests = List.of(
        OtlpSamples.traces("first", 1, 5), OtlpSamples.traces("second", 1, 5), OtlpSamples.traces("third", 1, 5));

    assertThat(post(requests.get(0)).statusCode()).isEqualTo(200);
    assertThat(post(requests.get(1)).statusCode()).isEqualTo(200);
    HttpResponse<byte[]> refused = post(requests.get(2));
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    com.google.rpc.Status body = com.google.rpc.Status.parseFrom(refused.body());
    assertThat(body.getCode()).isEqualTo(Status.Code.UNAVAILABLE.value());
    assertThat(body.getMessage()).contains("otlp/down").contains("full");

    channel = ManagedChannelBuilder.forAddress("127.0.0.1", collector.grpcAddress("otlp").getPort()).usePlaintext()
        .build();
    StatusRuntimeException grpcRefusal = catchThrowableOfType(StatusRuntimeException.class,
        () -> TraceServiceGrpc.newBlockingStub(channel).export(requests.get(2)));
    assertThat(grpcRefusal.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    RetryInfo retry = StatusProto.fromThrowable(grpcRefusal).getDetails(0).unpack(RetryInfo.class);
    assertThat(retry.getRetryDelay().getSeconds()).isEqualTo(1);

    // the healthy backend got the two accepted requests and nothing of the refused one
    await().atMost(Duration.ofSeconds(30)).until(() -> up.spans().size() == 10);
    assertThat(up.spanIds()).containsExactlyInAnyOrderElementsOf(ids(requests.subList(0, 2)));

    down.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> down.spans().size() == 10 && collector.telemetry()
        .value("otelcol_exporter_queue_size", "exporter", "otlp/down", "pipeline", "traces") == 0);
    // the client retries the refused request: now it goes through, once, to both
    assertThat(post(requests.get(2)).statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> up.spans().size() >= 15 && down.spans().size() >= 15);
    assertThat(up.spanIds()).containsExactlyInAnyOrderElementsOf(ids(requests));
    assertThat(down.spanIds()).containsExactlyInAnyOrderElementsOf(ids(requests));
    assertThat(collector.telemetry().value("otelcol_receiver_refused_spans", "receiver", "otlp", "transport", "http"))
        .isEqualTo(5);
    assertThat(collector.telemetry().value("otelcol_exporter_enqueue_failed_spans", "exporter", "otlp/down",
        "pipeline", "traces")).isEqualTo(10);
  }

  private HttpResponse<byte[]> post(ExportTraceServiceRequest request) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + collector.httpAddress("otlp").getPort()
            + "/v1/traces")).header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static List<String> ids(List<ExportTraceServiceRequest> requests) {
    List<String> ids = new ArrayList<>();
    for (ExportTraceServiceRequest r : requests) {
      for (Span s : r.getResourceSpans(0).getScopeSpans(0).getSpansList()) {
        ids.add(OtlpSamples.spanIdHex(s));
      }
    }
    return ids;
  }
}
