package dev.tracelight.collector.telemetry;

import dev.tracelight.collector.config.HostPort;
import dev.tracelight.collector.http.HttpEndpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Serves {@link Telemetry} at {@code /metrics} in the Prometheus text format ({@code service.telemetry.metrics}). */
public final class MetricsServer implements AutoCloseable {
  private final HttpEndpoint endpoint;

  private MetricsServer(HttpEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  public static MetricsServer start(HostPort address, Telemetry telemetry) throws IOException {
    return new MetricsServer(HttpEndpoint.start(address.toSocketAddress(), 16, "metrics", 1, "/metrics", exchange -> {
      byte[] body = telemetry.prometheusText().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(body);
      }
    }));
  }

  public InetSocketAddress address() {
    return endpoint.address();
  }

  @Override
  public void close() {
    endpoint.close();
  }
}
