package dev.tracelight.collector.exporter;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tracelight.collector.OtlpSamples;
import dev.tracelight.collector.config.ComponentId;
import dev.tracelight.collector.config.ExporterConfig;
import dev.tracelight.collector.config.HostPort;
import dev.tracelight.collector.pipeline.OtlpRequest;
import dev.tracelight.collector.pipeline.RetryPolicy;
import dev.tracelight.collector.pipeline.Signal;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The exporters' fast gzip, read by stock decoders: grpc-java's server and the JDK's GZIPInputStream. */
class GzipTest {
  private static final Metadata.Key<String> ENCODING = Metadata.Key.of("grpc-encoding", Metadata.ASCII_STRING_MARSHALLER);
  private final List<String> encodings = new CopyOnWriteArrayList<>();
  private final List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();
  private Server grpc;
  private HttpServer http;

  @AfterEach
  void stop() {
    if (grpc != null) {
      grpc.shutdownNow();
    }
    if (http != null) {
      http.stop(0);
    }
  }

  @Test
  void encodedBytesAreSmallerAndDecodeToTheOriginal() throws Exception {
    byte[] original = OtlpSamples.traces("gzip", 3, 50).toByteArray();

    byte[] encoded = Gzip.encode(original);

    assertThat(encoded.length).isLessThan(original.length / 2);
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(encoded))) {
      assertThat(in.readAllBytes()).isEqualTo(original);
    }
  }

  @Test
  void grpcExporterSendsGzipOrIdentityAsConfiguredAndTheServerReadsBoth() throws Exception {
    grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(new TraceServiceGrpc.TraceServiceImplBase() {
          @Override
          public void export(ExportTraceServiceRequest r, StreamObserver<ExportTraceServiceResponse> response) {
            received.add(r);
            response.onNext(ExportTraceServiceResponse.getDefaultInstance());
            response.onCompleted();
          }
        }, new ServerInterceptor() {
          @Override
          public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
              ServerCallHandler<Q, A> next) {
            encodings.add(String.valueOf(headers.get(ENCODING)));
            return next.startCall(call, headers);
          }
        }))
        .build().start();
    ExportTraceServiceRequest request = OtlpSamples.traces("grpc", 2, 20);

    for (boolean gzip : List.of(true, false)) {
      OtlpGrpcExporter exporter = OtlpGrpcExporter.create(new ExporterConfig.OtlpGrpc(ComponentId.parse("otlp"),
          new HostPort("127.0.0.1", grpc.getPort()), new ExporterConfig.Tls(true, null, null, null), Map.of(), gzip,
          Duration.ofSeconds(10), new ExporterConfig.Queue(true, 10, 1), RetryPolicy.defaults()));
      try {
        assertThat(exporter.export(OtlpRequest.parse(Signal.TRACES, request.toByteArray())))
            .isEqualTo(ExportResult.success());
      } finally {
        exporter.close();
      }
    }

    assertThat(encodings).containsExactly("gzip", "null");
    assertThat(received).containsExactly(request, request);
  }

  @Test
  void otlphttpExporterSendsGzipThatTheJdkDecodes() throws Exception {
    List<byte[]> bodies = new CopyOnWriteArrayList<>();
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    http.createContext("/v1/traces", exchange -> {
      try (exchange; InputStream in = new GZIPInputStream(exchange.getRequestBody())) {
        encodings.add(exchange.getRequestHeaders().getFirst("Content-Encoding"));
        bodies.add(in.readAllBytes());
        exchange.sendResponseHeaders(200, -1);
      }
    });
    http.start();
    byte[] request = OtlpSamples.traces("http", 2, 20).toByteArray();
    OtlpHttpExporter exporter = OtlpHttpExporter.create(new ExporterConfig.OtlpHttp(ComponentId.parse("otlphttp"),
        Map.of(Signal.TRACES, URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/v1/traces")),
        new ExporterConfig.Tls(false, null, null, null), Map.of(), true, false, Duration.ofSeconds(10),
        new ExporterConfig.Queue(true, 10, 1), RetryPolicy.defaults()));

    assertThat(exporter.export(OtlpRequest.parse(Signal.TRACES, request))).isEqualTo(ExportResult.success());
    assertThat(encodings).containsExactly("gzip");
    assertThat(bodies).singleElement().isEqualTo(request);
  }
}
