package dev.tracelight.collector.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OTLP/HTTP trace backend for load tests: counts spans, and counts each marker span (name starting with "m-") so a
 * test can check that every accepted request arrived exactly once. It can be slowed down (a fixed time per request),
 * answer 503, or be stopped and started again on the same port.
 */
final class CountingSink implements AutoCloseable {
  private final int port;
  private final AtomicLong spans = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final Map<String, Integer> markers = new ConcurrentHashMap<>();
  private volatile Duration perRequest = Duration.ZERO;
  private volatile boolean refusing;
  private HttpServer server;
  private ExecutorService executor;

  private CountingSink(int port) {
    this.port = port;
  }

  static CountingSink started() {
    CountingSink s = new CountingSink(TestBackend.freePort());
    s.start();
    return s;
  }

  /** Starts serving again (no-op when serving). */
  synchronized void start() {
    if (server != null) {
      return;
    }
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    executor = Executors.newFixedThreadPool(8);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  synchronized void stop() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      server = null;
    }
  }

  @Override
  public void close() {
    stop();
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  void slowDown(Duration perRequest) {
    this.perRequest = perRequest;
  }

  void refuse(boolean refusing) {
    this.refusing = refusing;
  }

  long spans() {
    return spans.get();
  }

  long requests() {
    return requests.get();
  }

  /** Marker name → how often it arrived. */
  Map<String, Integer> markers() {
    return Map.copyOf(markers);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        body = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
      }
      if (refusing) {
        exchange.getResponseHeaders().set("Retry-After", "0");
        exchange.sendResponseHeaders(503, -1);
        return;
      }
      Duration wait = perRequest;
      if (!wait.isZero()) {
        try {
          Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          exchange.sendResponseHeaders(503, -1);
          return;
        }
      }
      ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      // counted only once answered: a request whose answer is lost (the sink stopped meanwhile) is not kept, as a
      // backend that commits on answering would not keep it; the collector sends it again
      exchange.sendResponseHeaders(200, -1);
      long n = 0;
      for (ResourceSpans rs : request.getResourceSpansList()) {
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          n += ss.getSpansCount();
          for (Span s : ss.getSpansList()) {
            if (s.getName().startsWith("m-")) {
              markers.merge(s.getName(), 1, Integer::sum);
            }
          }
        }
      }
      spans.addAndGet(n);
      requests.incrementAndGet();
    }
  }
}
