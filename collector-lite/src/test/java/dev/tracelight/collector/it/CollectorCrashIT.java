package dev.tracelight.collector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tracelight.collector.OtlpSamples;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Persistent queues against a real crash: the packaged jar is killed with SIGKILL while clients send and the backend is
 * down, a torn record is left at the end of the queue, and after a restart everything answered 2xx reaches the backend.
 */
class CollectorCrashIT {
  @TempDir
  Path dir;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private TestBackend backend;
  private Process collector;
  private Thread[] clients = new Thread[0];

  @AfterEach
  void stop() throws InterruptedException {
    for (Thread t : clients) {
      t.interrupt();
      t.join(5000);
    }
    if (collector != null) {
      collector.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    backend.close();
  }

  @Test
  void deliversEverythingAcceptedBeforeAKill9OnceTheBackendIsBackAndSkipsATornTail() throws Exception {
    backend = TestBackend.down(TestBackend.Transport.GRPC);
    Ports ports = new Ports(TestBackend.freePort(), TestBackend.freePort(), TestBackend.freePort());
    Path config = writeConfig(ports);
    Path log1 = dir.resolve("collector-1.log");
    collector = startCollector(config, log1, ports);

    Set<String> accepted = ConcurrentHashMap.newKeySet();
    AtomicBoolean sending = new AtomicBoolean(true);
    AtomicInteger failed = new AtomicInteger();
    clients = new Thread[4];
    for (int c = 0; c < clients.length; c++) {
      int client = c;
      clients[c] = new Thread(() -> {
        for (int i = 0; sending.get(); i++) {
          ExportTraceServiceRequest request = OtlpSamples.traces("c" + client + "-" + i, 1, 20);
          try {
            if (post(ports.http, request.toByteArray()) == 200) {
              request.getResourceSpans(0).getScopeSpans(0).getSpansList().stream().map(OtlpSamples::spanIdHex)
                  .forEach(accepted::add);
            }
          } catch (IOException e) {
            failed.incrementAndGet(); // the collector died under this request: not acknowledged, may or may not be kept
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      clients[c].start();
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= 20 * 300);

    collector.destroyForcibly(); // SIGKILL, while the clients are still sending
    assertThat(collector.waitFor(30, TimeUnit.SECONDS)).isTrue();
    sending.set(false);
    for (Thread t : clients) {
      t.join(10_000);
    }
    Set<String> acceptedBeforeKill = Set.copyOf(accepted);
    Path queueDir = dir.resolve("queues").resolve("otlp_backend-traces");
    Path lastSegment = segments(queueDir).get(segments(queueDir).size() - 1);
    // a record cut off mid-write: the magic and half a header
    Files.write(lastSegment, new byte[] {0x54, 0x4c, 0x51, 0x31, 0, 0, 0, 9, 0, 0}, StandardOpenOption.APPEND);

    Path log2 = dir.resolve("collector-2.log");
    collector = startCollector(config, log2, ports);
    backend.start();

    await().atMost(Duration.ofSeconds(120)).until(() -> backend.spanIds().containsAll(acceptedBeforeKill));
    await().atMost(Duration.ofSeconds(30)).until(() -> metrics(ports).contains(
        "otelcol_exporter_queue_size{exporter=\"otlp/backend\",pipeline=\"traces\"} 0"));
    Map<String, Long> copies = backend.spanIds().stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    // nothing was delivered before the kill (the backend was down), so nothing may arrive twice
    assertThat(copies.values()).allMatch(n -> n == 1);
    // besides what was accepted, only spans of requests cut off by the kill (no answer) may arrive
    assertThat(copies.size() - acceptedBeforeKill.size()).isBetween(0, 20 * failed.get());
    assertThat(metrics(ports)).contains(
        "otelcol_exporter_queue_corrupt_records{exporter=\"otlp/backend\",pipeline=\"traces\"} 1");
    assertThat(Files.readString(log2)).contains("recovered").contains("corrupt or torn bytes");
    assertThat(segments(queueDir)).hasSize(1); // every delivered segment was deleted; the one being written stays
    System.out.printf("crash test: accepted %d spans before kill -9, %d requests cut off, delivered %d distinct, "
        + "%d duplicates%n", acceptedBeforeKill.size(), failed.get(), copies.size(),
        backend.spanIds().size() - copies.size());
  }

  @Test
  void resendsAtMostTheRequestsBeingSentWhenKilledWhileDelivering() throws Exception {
    backend = TestBackend.down(TestBackend.Transport.GRPC); // unused here; closed by stop()
    int consumers = 4;
    try (CountingSink sink = CountingSink.started()) {
      sink.slowDown(java.time.Duration.ofMillis(100)); // slower than the clients, so the queue holds a backlog
      Ports ports = new Ports(TestBackend.freePort(), TestBackend.freePort(), TestBackend.freePort());
      String config = """
          receivers:
            otlp:
              protocols:
                http: {endpoint: "127.0.0.1:%d"}
                grpc: {endpoint: "127.0.0.1:%d"}
          exporters:
            otlphttp/sink:
              endpoint: %s
              sending_queue: {storage: file_storage, queue_size: 100000, num_consumers: %d}
              retry_on_failure: {initial_interval: 50ms, max_interval: 200ms, max_elapsed_time: 0}
          extensions:
            health_check: {endpoint: "127.0.0.1:%d"}
            file_storage: {directory: "%s", create_directory: true, fsync: true}
          service:
            extensions: [health_check, file_storage]
            telemetry: {metrics: {address: "127.0.0.1:%d"}}
            pipelines:
              traces: {receivers: [otlp], exporters: [otlphttp/sink]}
          """.formatted(ports.http, TestBackend.freePort(), sink.endpoint(), consumers, ports.health,
          dir.resolve("queues"), ports.metrics);
      Path configFile = dir.resolve("config.yaml");
      Files.writeString(configFile, config);
      collector = startCollector(configFile, dir.resolve("collector-1.log"), ports);
      LoadClients load = LoadClients.start(ports.http, 4, 0, 0, 10, 200);
      await().atMost(Duration.ofSeconds(60)).until(() -> sink.requests() >= 50 && load.acceptedMarkers.size() >= 300);

      collector.destroyForcibly(); // SIGKILL while consumers are sending
      assertThat(collector.waitFor(30, TimeUnit.SECONDS)).isTrue();
      load.close();
      Set<String> accepted = Set.copyOf(load.acceptedMarkers);
      long deliveredBeforeKill = sink.requests();
      sink.slowDown(java.time.Duration.ZERO);
      collector = startCollector(configFile, dir.resolve("collector-2.log"), ports);

      await().atMost(Duration.ofSeconds(120)).until(() -> sink.markers().keySet().containsAll(accepted));
      await().atMost(Duration.ofSeconds(30)).until(() -> metrics(ports).contains(
          "otelcol_exporter_queue_size{exporter=\"otlphttp/sink\",pipeline=\"traces\"} 0"));
      long twice = sink.markers().values().stream().filter(n -> n > 1).count();
      System.out.printf("crash while delivering: %d requests accepted, %d delivered before kill -9, %d delivered "
          + "twice after the restart (num_consumers %d)%n", accepted.size(), deliveredBeforeKill, twice, consumers);
      assertThat(sink.markers().values()).allMatch(n -> n <= 2);
      assertThat(twice).isLessThanOrEqualTo(consumers);
    }
  }

  private Path writeConfig(Ports ports) throws IOException {
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, """
        receivers:
          otlp:
            protocols:
              http: {endpoint: "127.0.0.1:%d"}
        exporters:
          otlp/backend:
            endpoint: %s
            tls: {insecure: true}
            sending_queue: {storage: file_storage, queue_size: 100000}
            retry_on_failure: {initial_interval: 50ms, max_interval: 200ms, max_elapsed_time: 0}
        extensions:
          health_check: {endpoint: "127.0.0.1:%d"}
          file_storage: {directory: "%s", create_directory: true}
        service:
          extensions: [health_check, file_storage]
          telemetry: {metrics: {address: "127.0.0.1:%d"}}
          pipelines:
            traces: {receivers: [otlp], exporters: [otlp/backend]}
        """.formatted(ports.http, backend.endpoint(), ports.health, dir.resolve("queues"), ports.metrics));
    return config;
  }

  private Process startCollector(Path config, Path log, Ports ports) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-jar", Path.of("target", "collector-lite.jar").toAbsolutePath().toString(), "--config", config.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get(ports.health).statusCode() == 200);
    return p;
  }

  private static List<Path> segments(Path queueDir) throws IOException {
    try (Stream<Path> s = Files.list(queueDir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".seg"))
          .sorted((a, b) -> Long.compare(seq(a), seq(b))).toList();
    }
  }

  private static long seq(Path segment) {
    String name = segment.getFileName().toString();
    return Long.parseLong(name.substring(0, name.length() - 4));
  }

  private int post(int port, byte[] body) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/traces"))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private HttpResponse<String> get(int port) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String metrics(Ports ports) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.metrics + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private record Ports(int http, int health, int metrics) {}
}
