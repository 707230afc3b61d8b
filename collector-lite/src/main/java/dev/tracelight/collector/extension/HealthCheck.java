package dev.tracelight.collector.extension;

import dev.tracelight.collector.config.HealthCheckConfig;
import dev.tracelight.collector.http.HttpEndpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Extension {@code health_check}: GET on its path answers 200 while the pipelines run, 503 before and while stopping. */
public final class HealthCheck implements AutoCloseable {
  private HttpEndpoint endpoint; // set once by start(), which needs this check to serve
  private volatile boolean ready;
  private volatile Instant upSince;

  private HealthCheck() {}

  public static HealthCheck start(HealthCheckConfig config) throws IOException {
    HealthCheck check = new HealthCheck();
    check.endpoint = HttpEndpoint.start(config.endpoint().toSocketAddress(), 16, "health-check", 1, config.path(),
        exchange -> {
          boolean exact = exchange.getRequestURI().getPath().equals(config.path());
          int code = !exact ? 404 : check.ready ? 200 : 503;
          String body = code == 404 ? "not found\n" : check.ready
              ? "{\"status\":\"Server available\",\"upSince\":\"" + check.upSince + "\"}"
              : "{\"status\":\"Server not available\"}";
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", code == 404 ? "text/plain" : "application/json");
          exchange.sendResponseHeaders(code, bytes.length);
          try (OutputStream os = exchange.getResponseBody()) {
            os.write(bytes);
          }
        });
    return check;
  }

  public void setReady(boolean ready) {
    if (ready && !this.ready) {
      upSince = Instant.now();
    }
    this.ready = ready;
  }

  public InetSocketAddress address() {
    return endpoint.address();
  }

  @Override
  public void close() {
    endpoint.close();
  }
}
