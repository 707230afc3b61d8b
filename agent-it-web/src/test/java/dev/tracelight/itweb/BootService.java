package dev.tracelight.itweb;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One forked Spring Boot service (the test's ShopApp) under agent/target/javaagent.jar; always stopped by close(). */
final class BootService implements AutoCloseable {
  static final Path AGENT_JAR = Path.of(System.getProperty("tracelight.agent.jar", "../agent/target/javaagent.jar"));
  private static final long START_TIMEOUT_SECONDS = 120;

  private final Process process;
  private final List<String> output = new ArrayList<>();
  private final int port;

  private BootService(Process process) throws IOException, InterruptedException {
    this.process = process;
    Thread reader = new Thread(this::readOutput, "boot-service-output");
    reader.setDaemon(true);
    reader.start();
    this.port = awaitPort();
  }

  /** Starts ShopApp with the agent, exporting to {@code otlpEndpoint} as {@code serviceName}. */
  static BootService start(String serviceName, String otlpEndpoint, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-javaagent:" + AGENT_JAR.toAbsolutePath(), "-cp", classPath(), "dev.tracelight.itweb.app.ShopApp",
        "--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(name -> name.startsWith("OTEL_") || name.equals("JAVA_TOOL_OPTIONS"));
    builder.environment().putAll(Map.of(
        "OTEL_SERVICE_NAME", serviceName,
        "OTEL_EXPORTER_OTLP_ENDPOINT", otlpEndpoint,
        "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
        "OTEL_LOGS_EXPORTER", "none",
        "OTEL_BSP_SCHEDULE_DELAY", "100"));
    return new BootService(builder.start());
  }

  /** The test class path, as Maven resolved it for this module (Spring Boot's own tree), plus the test classes. */
  static String classPath() throws IOException {
    return System.getProperty("tracelight.test.classes", "target/test-classes") + java.io.File.pathSeparator
        + Files.readString(Path.of(System.getProperty("tracelight.boot.classpath", "target/boot-classpath.txt")))
            .trim();
  }

  int port() {
    return port;
  }

  synchronized String output() {
    return String.join("\n", output);
  }

  /** SIGTERM, so the agent's shutdown hook flushes spans and metrics, then waits for the exit. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private int awaitPort() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
    while (System.nanoTime() < deadline) {
      synchronized (this) {
        for (String line : output) {
          if (line.startsWith("PORT ")) {
            return Integer.parseInt(line.substring(5).trim());
          }
        }
      }
      if (!process.isAlive()) {
        throw new AssertionError("service exited with " + process.exitValue() + ":\n" + output());
      }
      Thread.sleep(100);
    }
    process.destroyForcibly();
    throw new AssertionError("service did not listen within " + START_TIMEOUT_SECONDS + " s:\n" + output());
  }

  private void readOutput() {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        synchronized (this) {
          output.add(line);
        }
      }
    } catch (IOException ignored) {
      // the process is gone
    }
  }
}
