package dev.tracelight.agent.it;

import com.sun.net.httpserver.HttpServer;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
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
 * (grpc-java). It keeps every span it is sent; other signals are accepted and dropped.
 */
final class OtlpReceiver implements AutoCloseable {
  private final List<ReceivedSpan> spans = new ArrayList<>();
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
        if (exchange.getRequestURI().getPath().equals("/v1/traces")) {
          receiver.add(ExportTraceServiceRequest.parseFrom(bytes));
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
