package dev.tracelight.collector.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.RetryInfo;
import com.sun.net.httpserver.HttpServer;
import dev.tracelight.collector.OtlpSamples;
import dev.tracelight.collector.config.ComponentId;
import dev.tracelight.collector.config.ExporterConfig;
import dev.tracelight.collector.config.HostPort;
import dev.tracelight.collector.pipeline.OtlpRequest;
import dev.tracelight.collector.pipeline.RetryPolicy;
import dev.tracelight.collector.pipeline.Signal;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Exporters against real servers: what the OTLP spec calls retryable is retried (with the server's delay), the rest not. */
class ExporterResultsTest {
  private final AtomicReference<Answer> answer = new AtomicReference<>();
  private HttpServer http;
  private Server grpc;

  @AfterEach
  void stop() {
    if (http != null) {
      http.stop(0);
    }
    if (grpc != null) {
      grpc.shutdownNow();
    }
  }

  @Test
  void otlpHttpRetriesOnly429And5xxGatewayErrorsHonouringRetryAfter() throws Exception {
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    http.createContext("/", exchange -> {
      try (exchange) {
        Answer a = answer.get();
        if (a.retryAfter != null) {
          exchange.getResponseHeaders().set("Retry-After", a.retryAfter);
        }
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(a.code, a.body.length == 0 ? -1 : a.body.length);
        if (a.body.length > 0) {
          exchange.getResponseBody().write(a.body);
        }
      }
    });
    http.start();
    OtlpHttpExporter exporter = OtlpHttpExporter.create(new ExporterConfig.OtlpHttp(ComponentId.parse("otlphttp"),
        Map.of(Signal.TRACES, URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/v1/traces")),
        new ExporterConfig.Tls(false, null, null, null), Map.of(), true, false, Duration.ofSeconds(5),
        new ExporterConfig.Queue(true, 10, 1), RetryPolicy.defaults()));
    OtlpRequest request = request();

    assertThat(result(exporter, request, 200, null, new byte[0])).isEqualTo(ExportResult.success());
    ExportResult partial = result(exporter, request, 200, null, ExportTraceServiceResponse.newBuilder()
        .setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(2).setErrorMessage("too old"))
        .build().toByteArray());
    assertThat(partial.rejected()).isEqualTo(2);
    assertThat(partial.message()).isEqualTo("too old");
    ExportResult throttled = result(exporter, request, 429, "7", new byte[0]);
    assertThat(throttled.outcome()).isEqualTo(ExportResult.Outcome.RETRYABLE);
    assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    for (int code : new int[] {502, 503, 504}) {
      assertThat(result(exporter, request, code, null, new byte[0]).outcome()).as("HTTP " + code)
          .isEqualTo(ExportResult.Outcome.RETRYABLE);
    }
    for (int code : new int[] {400, 401, 403, 404, 413, 500}) {
      assertThat(result(exporter, request, code, null, new byte[0]).outcome()).as("HTTP " + code)
          .isEqualTo(ExportResult.Outcome.PERMANENT);
    }
    http.stop(0);
    http = null;
    assertThat(exporter.export(request).outcome()).as("connection refused").isEqualTo(ExportResult.Outcome.RETRYABLE);
  }

  @Test
  void otlpGrpcRetriesUnavailableAndThrottlingWithRetryInfoOnly() throws Exception {
    grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new TraceServiceGrpc.TraceServiceImplBase() {
          @Override
          public void export(ExportTraceServiceRequest r, StreamObserver<ExportTraceServiceResponse> response) {
            Answer a = answer.get();
            if (a.grpcError != null) {
              response.onError(a.grpcError);
              return;
            }
            response.onNext(ExportTraceServiceResponse.newBuilder().setPartialSuccess(ExportTracePartialSuccess
                .newBuilder().setRejectedSpans(a.code)).build());
            response.onCompleted();
          }
        }).build().start();
    OtlpGrpcExporter exporter = OtlpGrpcExporter.create(new ExporterConfig.OtlpGrpc(ComponentId.parse("otlp"),
        new HostPort("127.0.0.1", grpc.getPort()), new ExporterConfig.Tls(true, null, null, null),
        Map.of("x-tenant", "a"), true, Duration.ofSeconds(5), new ExporterConfig.Queue(true, 10, 1),
        RetryPolicy.defaults()));
    OtlpRequest request = request();
    try {
      assertThat(grpcResult(exporter, request, null, 0)).isEqualTo(ExportResult.success());
      assertThat(grpcResult(exporter, request, null, 3).rejected()).isEqualTo(3);
      assertThat(grpcResult(exporter, request, Status.UNAVAILABLE.asRuntimeException(), 0).outcome())
          .isEqualTo(ExportResult.Outcome.RETRYABLE);
      assertThat(grpcResult(exporter, request, Status.RESOURCE_EXHAUSTED.asRuntimeException(), 0).outcome())
          .isEqualTo(ExportResult.Outcome.PERMANENT);
      ExportResult throttled = grpcResult(exporter, request, StatusProto.toStatusRuntimeException(
          com.google.rpc.Status.newBuilder().setCode(Status.Code.RESOURCE_EXHAUSTED.value())
              .addDetails(Any.pack(RetryInfo.newBuilder()
                  .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(3)).build())).build()), 0);
      assertThat(throttled.outcome()).isEqualTo(ExportResult.Outcome.RETRYABLE);
      assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(3));
      assertThat(grpcResult(exporter, request, Status.INVALID_ARGUMENT.asRuntimeException(), 0).outcome())
          .isEqualTo(ExportResult.Outcome.PERMANENT);
      assertThat(grpcResult(exporter, request, Status.UNAUTHENTICATED.asRuntimeException(), 0).outcome())
          .isEqualTo(ExportResult.Outcome.PERMANENT);
    } finally {
      exporter.close();
    }
  }

  private ExportResult result(Exporter e, OtlpRequest r, int code, String retryAfter, byte[] body) throws Exception {
    answer.set(new Answer(code, retryAfter, body, null));
    return e.export(r);
  }

  private ExportResult grpcResult(Exporter e, OtlpRequest r, RuntimeException error, int rejected) throws Exception {
    answer.set(new Answer(rejected, null, new byte[0], error));
    return e.export(r);
  }

  private static OtlpRequest request() throws Exception {
    return OtlpRequest.parse(Signal.TRACES, OtlpSamples.traces("e", 1, 5).toByteArray());
  }

  private record Answer(int code, String retryAfter, byte[] body, RuntimeException grpcError) {}
}
