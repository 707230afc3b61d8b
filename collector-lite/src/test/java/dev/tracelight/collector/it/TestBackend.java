package dev.tracelight.collector.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.grpc.Server;
import io.grpc.Status;
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
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;

/**
 * A real OTLP backend for the tests, over gRPC (the generated services of opentelemetry-proto) or HTTP (JDK server,
 * protobuf, gzip): it records every span, data point and log record it accepts. It can refuse the next N requests with
 * 503 / UNAVAILABLE, and can be stopped and started again on the same port.
 */
final class TestBackend implements AutoCloseable {
  enum Transport { GRPC, HTTP }

  private final Transport transport;
  private final int port;
  private final ConcurrentLinkedQueue<Span> spans = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> points = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<LogRecord> logs = new ConcurrentLinkedQueue<>();
  private final AtomicInteger refuseNext = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger accepted = new AtomicInteger();
  private Server grpc;
  private HttpServer http;

  private TestBackend(Transport transport, int port) {
    this.transport = transport;
    this.port = port;
  }

  static TestBackend started(Transport transport) {
    TestBackend b = new TestBackend(transport, freePort());
    b.start();
    return b;
  }

  /** A backend whose port is known but which is down until {@link #start()}. */
  static TestBackend down(Transport transport) {
    return new TestBackend(transport, freePort());
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  synchronized void start() {
    try {
      if (transport == Transport.GRPC) {
        grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
            .addService(new Traces()).addService(new Metrics()).addService(new Logs()).build().start();
      } else {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        http.createContext("/", this::handleHttp);
        http.start();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  synchronized void stop() {
    if (grpc != null) {
      grpc.shutdownNow();
      try {
        grpc.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      grpc = null;
    }
    if (http != null) {
      http.stop(0);
      http = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** For a collector-lite exporter: {@code host:port} for otlp, a base URL for otlphttp. */
  String endpoint() {
    return transport == Transport.GRPC ? "127.0.0.1:" + port : "http://127.0.0.1:" + port;
  }

  String exporterYaml(String name) {
    String type = transport == Transport.GRPC ? "otlp" : "otlphttp";
    return "  " + type + "/" + name + ":\n"
        + "    endpoint: " + endpoint() + "\n"
        + (transport == Transport.GRPC ? "    tls: {insecure: true}\n" : "")
        + "    retry_on_failure: {initial_interval: 50ms, max_interval: 200ms, max_elapsed_time: 60s}\n";
  }

  String exporterId(String name) {
    return (transport == Transport.GRPC ? "otlp" : "otlphttp") + "/" + name;
  }

  void refuseNext(int requests) {
    refuseNext.set(requests);
  }

  int refused() {
    return refused.get();
  }

  int acceptedRequests() {
    return accepted.get();
  }

  List<Span> spans() {
    return new ArrayList<>(spans);
  }

  List<String> spanIds() {
    return spans.stream().map(s -> HexFormat.of().formatHex(s.getSpanId().toByteArray())).toList();
  }

  /** One entry per data point: metric name, attributes and time. */
  List<String> points() {
    return new ArrayList<>(points);
  }

  List<LogRecord> logs() {
    return new ArrayList<>(logs);
  }

  List<String> logBodies() {
    return logs.stream().map(l -> l.getBody().getStringValue()).toList();
  }

  private boolean refuse() {
    if (refuseNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      refused.incrementAndGet();
      return true;
    }
    accepted.incrementAndGet();
    return false;
  }

  private void record(ExportTraceServiceRequest r) {
    r.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> spans.addAll(ss.getSpansList())));
  }

  private void record(ExportMetricsServiceRequest r) {
    r.getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList().forEach(sm -> sm.getMetricsList().forEach(m -> {
      switch (m.getDataCase()) {
        case SUM -> m.getSum().getDataPointsList().forEach(p -> points.add(key(m, p.getAttributesList(), p.getTimeUnixNano())));
        case GAUGE -> m.getGauge().getDataPointsList().forEach(p -> points.add(key(m, p.getAttributesList(), p.getTimeUnixNano())));
        case HISTOGRAM -> m.getHistogram().getDataPointsList().forEach(p -> points.add(key(m, p.getAttributesList(), p.getTimeUnixNano())));
        case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsList().forEach(p -> points.add(key(m, p.getAttributesList(), p.getTimeUnixNano())));
        case SUMMARY -> m.getSummary().getDataPointsList().forEach(p -> points.add(key(m, p.getAttributesList(), p.getTimeUnixNano())));
        default -> { }
      }
    })));
  }

  private static String key(Metric m, List<io.opentelemetry.proto.common.v1.KeyValue> attributes, long time) {
    return m.getName() + "|" + attributes.stream().map(a -> a.getKey() + "=" + a.getValue().toString().trim()).toList()
        + "|" + time;
  }

  private void record(ExportLogsServiceRequest r) {
    r.getResourceLogsList().forEach(rl -> rl.getScopeLogsList().forEach(sl -> logs.addAll(sl.getLogRecordsList())));
  }

  private void handleHttp(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))
          ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (refuse()) {
        exchange.getResponseHeaders().set("Retry-After", "0");
        exchange.sendResponseHeaders(503, -1);
        return;
      }
      switch (exchange.getRequestURI().getPath()) {
        case "/v1/traces" -> record(ExportTraceServiceRequest.parseFrom(body));
        case "/v1/metrics" -> record(ExportMetricsServiceRequest.parseFrom(body));
        case "/v1/logs" -> record(ExportLogsServiceRequest.parseFrom(body));
        default -> {
          exchange.sendResponseHeaders(404, -1);
          return;
        }
      }
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, -1);
    }
  }

  private final class Traces extends TraceServiceGrpc.TraceServiceImplBase {
    @Override
    public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> response) {
      if (refuse()) {
        response.onError(Status.UNAVAILABLE.withDescription("test backend refuses").asRuntimeException());
        return;
      }
      record(request);
      response.onNext(ExportTraceServiceResponse.getDefaultInstance());
      response.onCompleted();
    }
  }

  private final class Metrics extends MetricsServiceGrpc.MetricsServiceImplBase {
    @Override
    public void export(ExportMetricsServiceRequest request, StreamObserver<ExportMetricsServiceResponse> response) {
      if (refuse()) {
        response.onError(Status.UNAVAILABLE.withDescription("test backend refuses").asRuntimeException());
        return;
      }
      record(request);
      response.onNext(ExportMetricsServiceResponse.getDefaultInstance());
      response.onCompleted();
    }
  }

  private final class Logs extends LogsServiceGrpc.LogsServiceImplBase {
    @Override
    public void export(ExportLogsServiceRequest request, StreamObserver<ExportLogsServiceResponse> response) {
      if (refuse()) {
        response.onError(Status.UNAVAILABLE.withDescription("test backend refuses").asRuntimeException());
        return;
      }
      record(request);
      response.onNext(ExportLogsServiceResponse.getDefaultInstance());
      response.onCompleted();
    }
  }
}
