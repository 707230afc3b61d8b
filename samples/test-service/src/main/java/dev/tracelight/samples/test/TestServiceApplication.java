package dev.tracelight.samples.test;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Service "test" of the reference setup: {@code GET /users/{id}} reads through a Redis cache and, on a miss, asks
 * service "test1" ({@code USER_SERVICE}). No tracing code anywhere: the agent traces the server, Redis and the HTTP call.
 *
 * <p>Environment, as in the walkthrough's manifests: {@code REDIS_SERVER} ({@code host:port}; empty = no cache),
 * {@code USER_SERVICE} (base URL of test1), {@code OTLP_GRPC_ENDPOINT} (read by the walkthrough's hand-written tracing
 * code; here the agent's standard {@code OTEL_*} variables decide, see {@link ExporterHint}).
 */
@SpringBootApplication
public class TestServiceApplication {
  public static void main(String[] args) {
    application().run(args);
  }

  /** Defaults in code, not application.properties, so both samples can share one class path in tests. */
  public static SpringApplication application() {
    SpringApplication application = new SpringApplication(TestServiceApplication.class);
    application.setDefaultProperties(Map.of(
        "server.port", "${PORT:8000}",
        "test.user-service", "${USER_SERVICE:http://localhost:8001}",
        "test.redis-server", "${REDIS_SERVER:}",
        "test.otlp-grpc-endpoint", "${OTLP_GRPC_ENDPOINT:}",
        "spring.main.banner-mode", "off"));
    return application;
  }
}
