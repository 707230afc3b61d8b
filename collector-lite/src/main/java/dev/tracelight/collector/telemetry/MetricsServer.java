package dev.tracelight.collector.telemetry;

import com.sun.net.httpserver.HttpServer;
import dev.tracelight.collector.config.HostPort;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Serves {@link Telemetry} at {@code /metrics} in the Prometheus text format ({@code service.telemetry.metrics}). */
public final class MetricsServer implements AutoCloseable {
  private final HttpServer server;

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  public static MetricsServer start(HostPort address, Telemetry telemetry) throws IOException {
    HttpServer server = HttpServer.create(address.toSocketAddress(), 16);
    server.createContext("/metrics", exchange -> {
      try (exchange) {
        byte[] body = telemetry.prometheusText().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream os = exchange.getResponseBody()) {
          os.write(body);
        }
      }
    });
    server.start();
    return new MetricsServer(server);
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
