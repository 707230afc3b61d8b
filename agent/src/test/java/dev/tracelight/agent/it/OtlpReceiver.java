package dev.tracelight.agent.it;

import com.sun.net.httpserver.HttpServer;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An OTLP trace receiver on 127.0.0.1 with a port picked at run time, speaking http/protobuf (JDK HttpServer) or grpc
 * (grpc-java). It keeps every span it is sent, and metrics and logs as the OTLP messages they came in.
 */
final class OtlpReceiver implements AutoCloseable {
  private final List<ReceivedSpan> spans = new ArrayList<>();
  private final List<ResourceMetrics> metrics = new ArrayList<>();
  private final List<ResourceLogs> logs = new ArrayList<>();
  private final String protocol;
  private HttpServer httpServer;
  private Server grpcServer;

  private OtlpReceiver(String protocol) {
    this.protocol = protocol;
  }

  static OtlpReceiver httpProtobuf() throws IOException {
    OtlpReceiver receiver = new OtlpReceiver("http/protobuf");
    receiver.httpServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.httpServer.createContext("/", exchange -> {
      try (InputStream body = exchange.getRequestBody()) {
        byte[] bytes = body.readAllBytes();
        switch (exchange.getRequestURI().getPath()) {
          case "/v1/traces" -> receiver.add(ExportTraceServiceRequest.parseFrom(bytes));
          case "/v1/metrics" -> receiver.add(ExportMetricsServiceRequest.parseFrom(bytes));
          case "/v1/logs" -> receiver.add(ExportLogsServiceRequest.parseFrom(bytes));
          default -> { }
        }
      }
      byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
      exchange.close();
    });
    receiver.httpServer.start();
    return receiver;
  }

  static OtlpReceiver grpc() throws IOException {
    OtlpReceiver receiver = new OtlpReceiver("grpc");
    receiver.grpcServer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new TraceServiceGrpc.TraceServiceImplBase() {
          @Override
          public void export(ExportTraceServiceRequest request,
              StreamObserver<ExportTraceServiceResponse> responseObserver) {
            receiver.add(request);
            responseObserver.onNext(ExportTraceServiceResponse.getDefaultInstance());
            responseObserver.onCompleted();
          }
        })
        .addService(new MetricsServiceGrpc.MetricsServiceImplBase() {
          @Override
          public void export(ExportMetricsServiceRequest request,
              StreamObserver<ExportMetricsServiceResponse> responseObserver) {
            receiver.add(request);
            responseObserver.onNext(ExportMetricsServiceResponse.getDefaultInstance());
            responseObserver.onCompleted();
          }
        })
        .addService(new LogsServiceGrpc.LogsServiceImplBase() {
          @Override
          public void export(ExportLogsServiceRequest request,
              StreamObserver<ExportLogsServiceResponse> responseObserver) {
            receiver.add(request);
            responseObserver.onNext(ExportLogsServiceResponse.getDefaultInstance());
            responseObserver.onCompleted();
          }
        })
        .build()
        .start();
    return receiver;
  }

  String protocol() {
    return protocol;
  }

  String endpoint() {
    int port = httpServer != null ? httpServer.getAddress().getPort() : grpcServer.getPort();
    return "http://127.0.0.1:" + port;
  }

  synchronized List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  /** Every metrics export received so far, in arrival order. */
  synchronized List<ResourceMetrics> metrics() {
    return List.copyOf(metrics);
  }

  /** Every logs export received so far, in arrival order. */
  synchronized List<ResourceLogs> logs() {
    return List.copyOf(logs);
  }

  private synchronized void add(ExportMetricsServiceRequest request) {
    metrics.addAll(request.getResourceMetricsList());
  }

  private synchronized void add(ExportLogsServiceRequest request) {
    logs.addAll(request.getResourceLogsList());
  }

  private synchronized void add(ExportTraceServiceRequest request) {
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (Span span : scopeSpans.getSpansList()) {
          spans.add(ReceivedSpan.of(span, resourceSpans.getResource()));
        }
      }
    }
  }

  @Override
  public void close() {
    if (httpServer != null) {
      httpServer.stop(0);
    }
    if (grpcServer != null) {
      try {
        grpcServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
