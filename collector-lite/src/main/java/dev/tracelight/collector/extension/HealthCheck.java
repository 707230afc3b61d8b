package dev.tracelight.collector.extension;

import com.sun.net.httpserver.HttpServer;
import dev.tracelight.collector.config.HealthCheckConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Extension {@code health_check}: GET on its path answers 200 while the pipelines run, 503 before and while stopping. */
public final class HealthCheck implements AutoCloseable {
  private final HttpServer server;
  private volatile boolean ready;
  private volatile Instant upSince;

  private HealthCheck(HttpServer server) {
    this.server = server;
  }

  public static HealthCheck start(HealthCheckConfig config) throws IOException {
    HttpServer server = HttpServer.create(config.endpoint().toSocketAddress(), 16);
    HealthCheck check = new HealthCheck(server);
    server.createContext(config.path(), exchange -> {
      try (exchange) {
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
      }
    });
    server.start();
    return check;
  }

  public void setReady(boolean ready) {
    if (ready && !this.ready) {
      upSince = Instant.now();
    }
    this.ready = ready;
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
