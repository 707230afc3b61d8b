package dev.tracelight.collector.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The packaged jar in its own JVM, as users run it; ready once its health check answers 200. */
final class ForkedCollector implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Process process;
  private final int metricsPort;

  private ForkedCollector(Process process, int metricsPort) {
    this.process = process;
    this.metricsPort = metricsPort;
  }

  /**
   * @param config the YAML; it must serve health_check on {@code healthPort} and own metrics on {@code metricsPort}
   */
  static ForkedCollector start(Path dir, String config, int healthPort, int metricsPort, String... jvmArgs)
      throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, config);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(jvmArgs));
    cmd.addAll(List.of("-jar", Path.of("target", "collector-lite.jar").toAbsolutePath().toString(), "--config",
        file.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("collector.log").toFile())
        .start();
    ForkedCollector c = new ForkedCollector(p, metricsPort);
    try {
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthPort + "/")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  long pid() {
    return process.pid();
  }

  String metrics() throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The value of one series in the own metrics, or -1. */
  long metric(String series) throws IOException, InterruptedException {
    for (String line : metrics().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Long.parseLong(line.substring(series.length() + 1).trim());
      }
    }
    return -1;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
