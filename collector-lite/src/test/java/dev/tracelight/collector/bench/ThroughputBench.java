package dev.tracelight.collector.bench;

import com.google.protobuf.ByteString;
import dev.tracelight.collector.otlp.OtlpGrpc;
import dev.tracelight.collector.pipeline.Signal;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throughput of collector-lite on loopback: OTLP requests of 100 spans over gRPC or HTTP, through batch into two
 * exporters (OTLP/gRPC and OTLP/HTTP, gzip as by default) to two counting sinks. The collector runs as its own process
 * (the packaged jar) so that its CPU time and RSS are its own. Reports spans/s, CPU used, spans per CPU-second
 * (= spans/s per core) and RSS, and checks that both sinks got every accepted span.
 *
 * <p>The collector is started as shipped: with the JVM flags of the image's ENTRYPOINT (collector-lite/Dockerfile) and
 * {@code -XX:MaxRAM} set to the DaemonSet's memory limit, which is what the JVM sees in the container (see
 * ShippedLauncher). {@code --baseline DIR} also measures another build (DIR/target/collector-lite.jar started as
 * DIR/Dockerfile says), alternating with this one run by run, and prints a table of medians (min–max).
 * {@code --startup N} measures start-up to a healthy health check instead.
 *
 * <p>{@code --stack jdk|netty} instead measures the bare HTTP server candidates (StackServer) under the same load.
 * See collector-lite/bench/run.sh for the commands.
 */
public final class ThroughputBench {
  private static final int SPANS_PER_REQUEST = 100;
  private static final long MAX_BEHIND_NANOS = 1_000_000_000L;

  private ThroughputBench() {}

  /** One way of starting the collector: a jar and the JVM flags it ships with. */
  record Variant(String name, Path jar, List<String> jvmFlags) {}

  /** One measured run. */
  record Result(double spansPerSecond, double cores, double rssMib, double peakRssMib, long refused, String delivered) {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of("target/collector-lite.jar");
    String protocol = "grpc";
    String stack = null;
    int seconds = 20;
    int warmup = 5;
    int threads = 4;
    int rate = 0;
    int runs = 1;
    int startups = 0;
    String heap = null;
    String jvmFlags = null;
    Path baseline = null;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--jar" -> jar = Path.of(args[i + 1]);
        case "--protocol" -> protocol = args[i + 1];
        case "--stack" -> stack = args[i + 1];
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
        case "--threads" -> threads = Integer.parseInt(args[i + 1]);
        case "--rate" -> rate = Integer.parseInt(args[i + 1]);
        case "--runs" -> runs = Integer.parseInt(args[i + 1]);
        case "--startup" -> startups = Integer.parseInt(args[i + 1]);
        case "--heap" -> heap = args[i + 1];
        case "--jvm-flags" -> jvmFlags = args[i + 1];
        case "--baseline" -> baseline = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (stack != null) {
      stack(stack, threads, rate, warmup, seconds, heap == null ? "256m" : heap);
      System.exit(0);
    }
    List<Variant> variants = new ArrayList<>();
    if (baseline != null) {
      variants.add(shipped("baseline", baseline.resolve("target/collector-lite.jar"), baseline.resolve("Dockerfile"),
          null, heap));
    }
    variants.add(shipped("this build", jar, ShippedLauncher.module().resolve("Dockerfile"), jvmFlags, heap));
    for (Variant v : variants) {
      System.out.println(v.name() + ": java " + String.join(" ", v.jvmFlags()) + " -jar " + v.jar());
    }
    if (startups > 0) {
      startup(variants, startups);
      System.exit(0);
    }
    byte[] payload = payload();
    Map<Variant, List<Result>> results = new LinkedHashMap<>();
    for (int r = 0; r < runs; r++) {
      for (Variant v : variants) {
        Result result = collectorRun(v, protocol, payload, threads, rate, warmup, seconds);
        results.computeIfAbsent(v, k -> new ArrayList<>()).add(result);
        System.out.printf(Locale.ROOT, "%-10s collector-lite %s threads=%d rate=%s  spans/s=%,.0f  cpu=%.3f cores  "
                + "spans/s per core=%,.0f  rss=%.0f MiB  peak rss=%.0f MiB  refused=%d  every span at both sinks=%s%n",
            v.name(), protocol, threads, rate == 0 ? "max" : rate, result.spansPerSecond(), result.cores(),
            result.spansPerSecond() / result.cores(), result.rssMib(), result.peakRssMib(), result.refused(),
            result.delivered());
      }
    }
    if (runs > 1 || variants.size() > 1) {
      System.out.printf(Locale.ROOT, "%n%s, %s, %d runs of %d s after %d s (median (min–max)):%n%n",
          protocol, rate == 0 ? threads + " senders, saturation" : "fixed " + rate + " spans/s", runs, seconds, warmup);
      System.out.println("| build | spans/s | collector CPU, cores | spans/s per core | RSS at end, MiB | peak RSS, MiB "
          + "| refused | every span at both sinks |");
      System.out.println("|---|---|---|---|---|---|---|---|");
      results.forEach((v, list) -> System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n",
          v.name(), spread(list, Result::spansPerSecond, "%,.0f"), spread(list, Result::cores, "%.3f"),
          spread(list, x -> x.spansPerSecond() / x.cores(), "%,.0f"), spread(list, Result::rssMib, "%.0f"),
          spread(list, Result::peakRssMib, "%.0f"), list.stream().mapToLong(Result::refused).sum(),
          list.stream().allMatch(x -> x.delivered().equals("yes")) ? "yes"
              : list.stream().allMatch(x -> x.delivered().startsWith("yes")) ? "yes (some resent)" : "NO"));
    }
    System.exit(0); // the HTTP client's threads are not worth a clean shutdown here
  }

  /** A variant started as {@code dockerfile}'s ENTRYPOINT says (or with explicit flags), in a container-sized JVM. */
  private static Variant shipped(String name, Path jar, Path dockerfile, String jvmFlags, String heap) throws Exception {
    List<String> flags = new ArrayList<>(jvmFlags != null ? List.of(jvmFlags.trim().split("\\s+"))
        : ShippedLauncher.imageJvmFlags(dockerfile));
    flags.removeIf(String::isEmpty);
    // In the container the JVM takes the cgroup's memory limit as the machine's memory: -XX:MaxRAM does the same here,
    // so that -XX:MaxRAMPercentage sizes the heap as in the DaemonSet.
    flags.add("-XX:MaxRAM=" + ShippedLauncher.daemonSetMemoryLimitBytes());
    if (heap != null) {
      flags.add("-Xmx" + heap);
    }
    return new Variant(name, jar, List.copyOf(flags));
  }

  private static Result collectorRun(Variant v, String protocol, byte[] payload, int threads, int rate, int warmup,
      int seconds) throws Exception {
    Path dir = Files.createTempDirectory("collector-bench");
    try (SinkBackends sinks = new SinkBackends()) {
      int grpcPort = freePort();
      int httpPort = freePort();
      Path config = dir.resolve("config.yaml");
      Files.writeString(config, """
          receivers:
            otlp:
              protocols:
                grpc: {endpoint: "127.0.0.1:%d"}
                http: {endpoint: "127.0.0.1:%d"}
          processors:
            memory_limiter: {check_interval: 1s, limit_percentage: 90, spike_limit_percentage: 20}
            batch: {}
          exporters:
            otlp/sink:
              endpoint: "127.0.0.1:%d"
              tls: {insecure: true}
            otlphttp/sink:
              endpoint: "http://127.0.0.1:%d"
          service:
            telemetry: {metrics: {level: none}, logs: {level: debug}}
            pipelines:
              traces: {receivers: [otlp], processors: [memory_limiter, batch], exporters: [otlp/sink, otlphttp/sink]}
          """.formatted(grpcPort, httpPort, sinks.grpcPort(), sinks.httpPort()));
      Process server = new ProcessBuilder(command(v, config)).redirectErrorStream(true)
          .redirectOutput(dir.resolve("server.log").toFile()).start();
      try {
        Result result = measure(server, protocol.equals("grpc") ? grpcPort : httpPort, protocol, payload, threads,
            rate, warmup, seconds, sinks);
        if (!result.delivered().equals("yes")) {
          System.out.println("collector log: " + dir.resolve("server.log"));
          Files.readAllLines(dir.resolve("server.log")).stream().filter(l -> l.contains("retrying"))
              .limit(3).forEach(l -> System.out.println("  " + l));
        }
        return result;
      } finally {
        server.destroy();
        server.waitFor();
      }
    }
  }

  private static List<String> command(Variant v, Path config) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(v.jvmFlags());
    command.addAll(List.of("-jar", v.jar().toString(), "--config", config.toString()));
    return command;
  }

  private static Result measure(Process server, int port, String protocol, byte[] payload, int threads, int rate,
      int warmup, int seconds, SinkBackends sinks) throws Exception {
    waitForPort(port);
    Load load = new Load(protocol, port, payload, threads, rate);
    load.start();
    Thread.sleep(warmup * 1000L);
    long pid = server.pid();
    double cpu0 = ProcessStats.cpuSeconds(pid);
    long spans0 = load.acceptedSpans.get();
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    double cpu1 = ProcessStats.cpuSeconds(pid);
    long spans1 = load.acceptedSpans.get();
    double wall = (System.nanoTime() - t0) / 1e9;
    double rss = ProcessStats.rssMib(pid);
    load.stop();
    double peak = ProcessStats.peakRssMib(pid);
    long accepted = load.acceptedSpans.get();
    String delivered = "n/a";
    if (sinks != null) {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < deadline && (sinks.grpcSpans.get() < accepted || sinks.httpSpans.get() < accepted)) {
        Thread.sleep(100);
      }
      long grpc = sinks.grpcSpans.get();
      long http = sinks.httpSpans.get();
      delivered = grpc == accepted && http == accepted ? "yes"
          : grpc >= accepted && http >= accepted ? "yes, and more: grpc +" + (grpc - accepted) + ", http +"
              + (http - accepted) + " (resent after a timeout, see the collector's log, or " + load.errors.get()
              + " requests whose answer the client did not read)"
          : "NO: grpc " + grpc + ", http " + http + " of " + accepted;
    }
    return new Result((spans1 - spans0) / wall, (cpu1 - cpu0) / wall, rss, peak, load.refused.get(), delivered);
  }

  /** Start-up to healthy: JVM start until the health check answers 200 (polled every 5 ms), its CPU and RSS then. */
  private static void startup(List<Variant> variants, int runs) throws Exception {
    Map<Variant, List<double[]>> samples = new LinkedHashMap<>();
    HttpClient http = HttpClient.newHttpClient();
    for (int r = 0; r < runs; r++) {
      for (Variant v : variants) {
        Path dir = Files.createTempDirectory("collector-startup");
        int health = freePort();
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, """
            receivers:
              otlp:
                protocols:
                  grpc: {endpoint: "127.0.0.1:%d"}
                  http: {endpoint: "127.0.0.1:%d"}
            processors:
              memory_limiter: {check_interval: 1s, limit_percentage: 75, spike_limit_percentage: 15}
              batch: {}
            exporters:
              otlp/a: {endpoint: "127.0.0.1:%d", tls: {insecure: true}}
              otlphttp/b: {endpoint: "http://127.0.0.1:%d"}
            extensions:
              health_check: {endpoint: "127.0.0.1:%d"}
            service:
              extensions: [health_check]
              telemetry: {metrics: {level: none}}
              pipelines:
                traces: {receivers: [otlp], processors: [memory_limiter, batch], exporters: [otlp/a, otlphttp/b]}
            """.formatted(freePort(), freePort(), freePort(), freePort(), health));
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health + "/")).build();
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command(v, config)).redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.log").toFile()).start();
        try {
          while (true) {
            try {
              if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                break;
              }
            } catch (java.io.IOException notYet) {
              if (!p.isAlive()) {
                throw new IllegalStateException("collector exited: " + Files.readString(dir.resolve("server.log")));
              }
            }
            Thread.sleep(5);
          }
          double wall = (System.nanoTime() - t0) / 1e6;
          samples.computeIfAbsent(v, k -> new ArrayList<>()).add(new double[] {wall,
              ProcessStats.cpuSeconds(p.pid()) * 1000, ProcessStats.rssMib(p.pid())});
        } finally {
          p.destroy();
          p.waitFor();
        }
      }
    }
    System.out.printf(Locale.ROOT, "%nstart-up to healthy (2 receivers, memory_limiter, batch, 2 exporters), %d runs "
        + "each, alternating (median (min–max)):%n%n", runs);
    System.out.println("| build | JVM start to health_check 200, ms | CPU to healthy, ms | RSS when healthy, MiB |");
    System.out.println("|---|---|---|---|");
    samples.forEach((v, list) -> System.out.printf(Locale.ROOT, "| %s | %s | %s | %s |%n", v.name(),
        spread(list, d -> d[0], "%.0f"), spread(list, d -> d[1], "%.0f"), spread(list, d -> d[2], "%.0f")));
  }

  /** The bare HTTP server candidates (StackServer) under the same load. */
  private static void stack(String stack, int threads, int rate, int warmup, int seconds, String heap)
      throws Exception {
    int httpPort = freePort();
    Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), StackServer.class.getName(), stack,
        Integer.toString(httpPort)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      Result r = measure(server, httpPort, "http", payload(), threads, rate, warmup, seconds, null);
      System.out.printf(Locale.ROOT, "stack %-16s threads=%d rate=%s  spans/s=%,.0f  cpu=%.2f cores  spans/s per "
              + "core=%,.0f  rss=%.0f MiB  peak rss=%.0f MiB  refused=%d%n", stack, threads, rate == 0 ? "max" : rate,
          r.spansPerSecond(), r.cores(), r.spansPerSecond() / r.cores(), r.rssMib(), r.peakRssMib(), r.refused());
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  private static <T> String spread(List<T> list, java.util.function.ToDoubleFunction<T> f, String format) {
    double[] v = list.stream().mapToDouble(f).sorted().toArray();
    double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    return v.length == 1 ? String.format(Locale.ROOT, format, median) : String.format(Locale.ROOT,
        format + " (" + format + "–" + format + ")", median, v[0], v[v.length - 1]);
  }

  /** Load generator: {@code threads} senders, each sending the same 100-span request, optionally paced to a rate. */
  private static final class Load {
    final AtomicLong acceptedSpans = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final ManagedChannel channel;
    private volatile boolean running = true;

    Load(String protocol, int port, byte[] payload, int count, int spansPerSecond) {
      channel = protocol.equals("grpc")
          ? ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build() : null;
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/traces"))
          .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build();
      long intervalNanos = spansPerSecond == 0 ? 0 : 1_000_000_000L * SPANS_PER_REQUEST * count / spansPerSecond;
      for (int i = 0; i < count; i++) {
        threads.add(new Thread(() -> {
          long next = System.nanoTime();
          while (running) {
            boolean ok = false;
            boolean answered = true;
            try {
              if (channel != null) {
                ClientCalls.blockingUnaryCall(channel, OtlpGrpc.export(Signal.TRACES), CallOptions.DEFAULT, payload);
                ok = true;
              } else {
                ok = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
              }
            } catch (StatusRuntimeException e) {
              ok = false;
            } catch (InterruptedException e) {
              return;
            } catch (Exception e) {
              // no answer read (e.g. a reset): the collector may still have accepted it, so the sinks may get more
              answered = false;
            }
            if (!answered) {
              errors.incrementAndGet();
            } else if (ok) {
              acceptedSpans.addAndGet(SPANS_PER_REQUEST);
            } else {
              refused.incrementAndGet();
            }
            if (intervalNanos > 0) {
              next += intervalNanos;
              long sleep = next - System.nanoTime();
              if (sleep < -MAX_BEHIND_NANOS) {
                // a sender stalled for long (the shared machine, the collector's warm-up) makes up one second at most:
                // a burst paying off a longer debt would raise the rate of the measured window above the fixed one
                next = System.nanoTime() - MAX_BEHIND_NANOS;
              }
              if (sleep > 0) {
                try {
                  Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                } catch (InterruptedException e) {
                  return;
                }
              }
            }
          }
        }, "load-" + i));
      }
    }

    void start() {
      threads.forEach(Thread::start);
    }

    void stop() throws InterruptedException {
      running = false;
      for (Thread t : threads) {
        t.join();
      }
      if (channel != null) {
        channel.shutdownNow();
      }
    }
  }

  /** 100 server spans as an instrumented HTTP service makes them: ids, times, status and 8 attributes each. */
  static byte[] payload() {
    Random random = new Random(42);
    ScopeSpans.Builder scope = ScopeSpans.newBuilder()
        .setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.tomcat-10.0").setVersion("2.22.0"));
    for (int i = 0; i < SPANS_PER_REQUEST; i++) {
      byte[] trace = new byte[16];
      byte[] span = new byte[8];
      random.nextBytes(trace);
      random.nextBytes(span);
      long start = 1_700_000_000_000_000_000L + i * 1_000_000L;
      scope.addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(trace)).setSpanId(ByteString.copyFrom(span))
          .setName("GET /api/orders/{id}").setKind(Span.SpanKind.SPAN_KIND_SERVER)
          .setStartTimeUnixNano(start).setEndTimeUnixNano(start + 3_500_000)
          .addAttributes(kv("http.request.method", "GET")).addAttributes(kv("http.route", "/api/orders/{id}"))
          .addAttributes(kv("url.path", "/api/orders/" + (1000 + i))).addAttributes(kv("url.scheme", "http"))
          .addAttributes(kv("server.address", "orders.shop.svc.cluster.local"))
          .addAttributes(kv("network.protocol.version", "1.1"))
          .addAttributes(kv("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0"))
          .addAttributes(KeyValue.newBuilder().setKey("http.response.status_code")
              .setValue(AnyValue.newBuilder().setIntValue(200))));
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("service.name", "orders"))
            .addAttributes(kv("k8s.pod.name", "orders-7d9f8b6c5-x2x9k")).addAttributes(kv("k8s.namespace.name", "shop")))
        .addScopeSpans(scope)).build().toByteArray();
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void waitForPort(int port) throws Exception {
    for (int i = 0; i < 300; i++) {
      try (Socket ignored = new Socket("127.0.0.1", port)) {
        return;
      } catch (java.io.IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("server did not start on port " + port);
  }
}
