package dev.tracelight.collector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tracelight.collector.OtlpSamples;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar as users run it: health check, own metrics, and SIGTERM that drains the queues or says what is left. */
class CollectorJarIT {
  @TempDir
  Path dir;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private TestBackend backend;
  private Process collector;

  @AfterEach
  void stop() {
    if (collector != null) {
      collector.destroyForcibly();
    }
    backend.close();
  }

  @Test
  void drainsQueuedBatchesOnSigtermWithoutWaitingForTheBatchTimeout() throws Exception {
    backend = TestBackend.started(TestBackend.Transport.GRPC);
    Ports ports = start("1h");

    assertThat(get(ports.health, "/").statusCode()).isEqualTo(200);
    assertThat(post(ports.http, OtlpSamples.traces("drain", 2, 5).toByteArray())).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> get(ports.metrics, "/metrics").body()
        .contains("otelcol_receiver_accepted_spans{receiver=\"otlp\",transport=\"http\"} 10"));
    assertThat(backend.spans()).isEmpty(); // held by the batch timeout of an hour

    collector.destroy(); // SIGTERM
    assertThat(collector.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(backend.spans()).hasSize(10);
    assertThat(Files.readString(dir.resolve("collector.log"))).contains("shutdown complete: every queue drained");
  }

  @Test
  void saysWhatIsLeftWhenABackendStaysDownPastTheDrainTimeout() throws Exception {
    backend = TestBackend.down(TestBackend.Transport.GRPC);
    Ports ports = start("100ms");

    assertThat(post(ports.http, OtlpSamples.traces("left", 1, 7).toByteArray())).isEqualTo(200);
    collector.destroy();
    assertThat(collector.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(Files.readString(dir.resolve("collector.log")))
        .contains("shutdown: exporter otlp/backend leaves 1 requests (7 items) undelivered after draining for 2000 ms");
  }

  private Ports start(String batchTimeout) throws Exception {
    Ports ports = new Ports(TestBackend.freePort(), TestBackend.freePort(), TestBackend.freePort());
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, """
        receivers:
          otlp:
            protocols:
              http: {endpoint: "127.0.0.1:%d"}
        processors:
          batch: {timeout: %s}
        exporters:
        %s
        extensions:
          health_check: {endpoint: "127.0.0.1:%d"}
        service:
          extensions: [health_check]
          telemetry: {metrics: {address: "127.0.0.1:%d"}}
          pipelines:
            traces: {receivers: [otlp], processors: [batch], exporters: [otlp/backend]}
        """.formatted(ports.http, batchTimeout, backend.exporterYaml("backend"), ports.health, ports.metrics));
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", Path.of("target", "collector-lite.jar").toAbsolutePath().toString(), "--drain-timeout", "2s")
        .redirectErrorStream(true).redirectOutput(dir.resolve("collector.log").toFile());
    pb.environment().put("COLLECTOR_CONFIG", config.toString()); // how containers pass the path
    collector = pb.start();
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get(ports.health, "/").statusCode() == 200);
    return ports;
  }

  private int post(int port, byte[] body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/traces"))
        .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private record Ports(int http, int health, int metrics) {}
}
