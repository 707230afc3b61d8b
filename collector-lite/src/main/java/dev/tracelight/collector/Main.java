package dev.tracelight.collector;

import dev.tracelight.collector.config.CollectorConfig;
import dev.tracelight.collector.config.ConfigException;
import dev.tracelight.collector.config.ConfigReader;
import dev.tracelight.collector.config.GoDuration;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar collector-lite.jar --config FILE [--validate] [--drain-timeout 10s]}; the config path may also come
 * from {@code COLLECTOR_CONFIG}. Exit codes: 0 ok, 1 bad config or failed start, 2 bad usage.
 */
public final class Main {
  static final String CONFIG_ENV = "COLLECTOR_CONFIG";
  private static final String USAGE = "usage: java -jar collector-lite.jar --config FILE [--validate] "
      + "[--drain-timeout DURATION]\n  (the config path may also be set in " + CONFIG_ENV + ")";

  private Main() {}

  public static void main(String[] args) {
    smallNettyPools();
    Runner runner = run(args, System.getenv(), System.out, System.err);
    if (runner.exitCode >= 0) {
      System.exit(runner.exitCode);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      runner.collector.shutdown(runner.drain);
      stopped.countDown();
    }, "shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The collector started (exitCode -1) or the process's exit code. */
  record Runner(int exitCode, Collector collector, Duration drain) {}

  static Runner run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    String config = env.get(CONFIG_ENV);
    boolean validate = false;
    Duration drain = Duration.ofSeconds(10);
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : i + 1 < args.length ? args[i + 1] : null;
      boolean inline = a.contains("=");
      String flag = inline ? a.substring(0, a.indexOf('=')) : a;
      switch (flag) {
        case "--config" -> {
          config = value;
          i += inline ? 0 : 1;
        }
        case "--drain-timeout" -> {
          drain = value == null ? null : parseDuration(value);
          i += inline ? 0 : 1;
          if (drain == null) {
            err.println("--drain-timeout: expected a duration like 10s\n" + USAGE);
            return new Runner(2, null, null);
          }
        }
        case "--validate" -> validate = true;
        case "--help", "-h" -> {
          out.println(USAGE);
          return new Runner(0, null, null);
        }
        default -> {
          err.println("unknown argument " + a + "\n" + USAGE);
          return new Runner(2, null, null);
        }
      }
    }
    if (config == null || config.isBlank()) {
      err.println("no config given\n" + USAGE);
      return new Runner(2, null, null);
    }
    CollectorConfig parsed;
    try {
      parsed = ConfigReader.create(env, inContainer(env), Runtime.getRuntime().maxMemory()).read(Path.of(config));
    } catch (ConfigException e) {
      e.problems().forEach(p -> err.println("error: " + p));
      return new Runner(1, null, null);
    }
    parsed.warnings().forEach(w -> err.println("warning: " + w));
    if (validate) {
      out.println(config + ": valid (" + parsed.service().pipelines().size() + " pipelines, "
          + parsed.warnings().size() + " warnings)");
      return new Runner(0, null, null);
    }
    try {
      return new Runner(-1, Collector.start(parsed), drain);
    } catch (IOException | RuntimeException e) {
      err.println("error: cannot start: " + e.getMessage());
      return new Runner(1, null, null);
    }
  }

  /**
   * grpc-netty's pooled buffers, sized for a node-local collector instead of a server that owns the machine (issue 9):
   * one arena (Netty's default is two per core, each growing 4 MiB chunks) of 1 MiB chunks. At 10k spans/s this took
   * 10 MiB off the resident set; a request or batch larger than a chunk is allocated outside the pool, as before.
   * Set before the first gRPC class loads; a -D on the command line wins.
   */
  static void smallNettyPools() {
    String prefix = "io.grpc.netty.shaded.io.netty.allocator.";
    System.getProperties().putIfAbsent(prefix + "numDirectArenas", "1");
    System.getProperties().putIfAbsent(prefix + "numHeapArenas", "1");
    System.getProperties().putIfAbsent(prefix + "maxOrder", "7");
  }

  private static Duration parseDuration(String text) {
    return GoDuration.parse(text);
  }

  /** Docker and Podman leave a marker file; Kubernetes sets its service variables in every container. */
  private static boolean inContainer(Map<String, String> env) {
    return env.containsKey("KUBERNETES_SERVICE_HOST") || Files.exists(Path.of("/.dockerenv"))
        || Files.exists(Path.of("/run/.containerenv"));
  }
}
