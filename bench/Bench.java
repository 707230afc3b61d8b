import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whole-process benchmarks of the agent: no agent / tracelight / the official OpenTelemetry agent, measured in the same
 * run and alternating, so that ratios hold on a shared, noisy machine. JDK only; run as a single source file:
 *
 * <pre>
 *   java bench/Bench.java startup [--runs 5] [--warmup 1] [--apps hello,boot] [--memory true]
 *                                 [--memory-requests 500] [--baseline JAR]
 *   java bench/Bench.java steady  [--requests 50000] [--rounds 5] [--concurrency 8] [--warmup 30000]
 *                                 [--baseline JAR]
 *   java bench/Bench.java collector [--runs 5]
 * </pre>
 *
 * The jars come from bench/target/jars/ (bench/lib.sh copies them there, so a rebuild by someone else mid-run cannot
 * change what is measured). Both agents export traces, metrics and logs with OTLP http/protobuf to a real
 * collector-lite started here (receiver → batch → debug exporter at basic verbosity), so export work is included.
 * Every table is printed as Markdown, with the load average before and after.
 */
public final class Bench {
  static final Path JARS = Path.of("bench/target/jars");
  static final Path LOGS = Path.of("bench/target/logs");
  /** Measured in this order, round by round; {@code --baseline JAR} adds an earlier tracelight jar ("baseline"). */
  static List<String> VARIANTS = List.of("none", "tracelight", "official");
  static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
  static final List<Process> STARTED = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 1; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    Files.createDirectories(LOGS);
    Runtime.getRuntime().addShutdownHook(new Thread(Bench::stopAll));
    String mode = args.length > 0 ? args[0] : "";
    if (opts.containsKey("baseline")) {
      // A before/after comparison in one alternating run: the jar given is copied, like the others, before measuring.
      Files.copy(Path.of(opts.get("baseline")), JARS.resolve("baseline-javaagent.jar"),
          StandardCopyOption.REPLACE_EXISTING);
      VARIANTS = List.of("none", "baseline", "tracelight", "official");
    }
    switch (mode) {
      case "startup" -> startup(opts);
      case "steady" -> steady(opts);
      case "collector" -> collectorStartup(opts);
      default -> {
        System.err.println("usage: java bench/Bench.java startup|steady|collector [--option value]...");
        System.exit(2);
      }
    }
    stopAll();
  }

  // ---------------------------------------------------------------------------------------------- start-up, memory

  record StartupSample(double wallMs, double cpuMs, double peakRssMiB, double heapAfterGcMiB, double metaspaceMiB,
      double classes, double rssAfterLoadMiB, double rssAfterGcMiB) {}

  static void startup(Map<String, String> opts) throws Exception {
    int runs = Integer.parseInt(opts.getOrDefault("runs", "5"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", "1"));
    boolean memory = Boolean.parseBoolean(opts.getOrDefault("memory", "true"));
    int memoryRequests = Integer.parseInt(opts.getOrDefault("memory-requests", "500"));
    List<String> apps = List.of(opts.getOrDefault("apps", "hello,boot").split(","));
    Collector collector = Collector.start();
    try {
      for (String app : apps) {
        String load = loadAverage();
        Map<String, List<StartupSample>> samples = new LinkedHashMap<>();
        VARIANTS.forEach(v -> samples.put(v, new ArrayList<>()));
        for (int i = -warmup; i < runs; i++) {
          for (String variant : VARIANTS) {
            StartupSample s = startOnce(app, variant, collector, memory, memoryRequests, i);
            if (i >= 0) {
              samples.get(variant).add(s);
            }
          }
        }
        printStartup(app, runs, warmup, memory, memoryRequests, samples, load + " → " + loadAverage());
      }
    } finally {
      collector.stop();
    }
    printJarSizes();
  }

  static StartupSample startOnce(String app, String variant, Collector collector, boolean memory, int memoryRequests,
      int run) throws Exception {
    int port = freePort();
    List<String> command = new ArrayList<>(List.of(java()));
    command.addAll(agentArgs(variant));
    command.addAll(appArgs(app, port));
    Path log = LOGS.resolve(app + "-" + variant + "-" + run + ".log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    agentEnv(pb.environment(), collector, app);
    long t0 = System.nanoTime();
    Process p = pb.start();
    STARTED.add(p);
    try {
      URI uri = URI.create("http://127.0.0.1:" + port + appPath(app));
      awaitAnswer(p, uri, log, Duration.ofSeconds(120));
      double wall = (System.nanoTime() - t0) / 1e6;
      double cpu = cpuMillis(p.pid());
      double peak = statusKb(p.pid(), "VmHWM") / 1024.0;
      double heap = Double.NaN;
      double meta = Double.NaN;
      double classes = Double.NaN;
      double rssAfterLoad = Double.NaN;
      double rssAfterGc = Double.NaN;
      if (memory) {
        // Some traffic first, so the numbers describe a service that has answered requests, not one that just opened
        // its port; then a full GC so "heap" is live data, not garbage the collector has not needed to reclaim.
        for (int i = 0; i < memoryRequests; i++) {
          get(uri);
        }
        jcmd(p.pid(), "GC.run");
        String heapInfo = jcmd(p.pid(), "GC.heap_info");
        heap = kib(heapInfo, "heap\\s+total \\d+K, used (\\d+)K") / 1024.0;
        meta = kib(heapInfo, "Metaspace\\s+used (\\d+)K") / 1024.0;
        classes = loadedClasses(p.pid());
        rssAfterLoad = statusKb(p.pid(), "VmHWM") / 1024.0;
        // The peak depends on how far G1 has grown the young generation by then (its sizing follows GC timing, so it
        // differs between runs of one jar); what stays resident after the full GC, which shrinks the heap to fit the
        // live data, is the steadier footprint.
        rssAfterGc = statusKb(p.pid(), "VmRSS") / 1024.0;
      }
      return new StartupSample(wall, cpu, peak, heap, meta, classes, rssAfterLoad, rssAfterGc);
    } finally {
      stop(p);
    }
  }

  static void printStartup(String app, int runs, int warmup, boolean memory, int memoryRequests,
      Map<String, List<StartupSample>> s, String load) {
    System.out.printf("%n### start-up: %s%n%n", describe(app));
    System.out.printf("%d runs per column after %d warm-up round(s), the three columns alternating; load average %s%n%n",
        runs, warmup, load);
    System.out.println("| | wall to first answer, ms | CPU (user+sys) to first answer, ms | peak RSS to first answer, MiB |");
    System.out.println("|---|---|---|---|");
    for (String v : VARIANTS) {
      List<StartupSample> l = s.get(v);
      System.out.printf("| %s | %s | %s | %s |%n", v, spread(l, StartupSample::wallMs, "%.0f"),
          spread(l, StartupSample::cpuMs, "%.0f"), spread(l, StartupSample::peakRssMiB, "%.0f"));
    }
    System.out.println();
    overhead("wall", s, StartupSample::wallMs, "ms");
    overhead("CPU", s, StartupSample::cpuMs, "ms");
    overhead("peak RSS", s, StartupSample::peakRssMiB, "MiB");
    if (!memory) {
      return;
    }
    System.out.printf("%n### memory: %s, after %d requests and a full GC (jcmd GC.run)%n%n", describe(app),
        memoryRequests);
    System.out.println("| | peak RSS, MiB | RSS after the GC, MiB | heap used after GC, MiB | Metaspace used, MiB "
        + "| classes loaded |");
    System.out.println("|---|---|---|---|---|---|");
    for (String v : VARIANTS) {
      List<StartupSample> l = s.get(v);
      System.out.printf("| %s | %s | %s | %s | %s | %s |%n", v, spread(l, StartupSample::rssAfterLoadMiB, "%.0f"),
          spread(l, StartupSample::rssAfterGcMiB, "%.0f"), spread(l, StartupSample::heapAfterGcMiB, "%.1f"), spread(l, StartupSample::metaspaceMiB, "%.1f"),
          spread(l, StartupSample::classes, "%.0f"));
    }
    System.out.println();
    overhead("peak RSS", s, StartupSample::rssAfterLoadMiB, "MiB");
    overhead("RSS after the GC", s, StartupSample::rssAfterGcMiB, "MiB");
    overhead("heap after GC", s, StartupSample::heapAfterGcMiB, "MiB");
    overhead("Metaspace", s, StartupSample::metaspaceMiB, "MiB");
    overhead("classes", s, StartupSample::classes, "");
  }

  static <T> void overhead(String what, Map<String, List<T>> s, ToDoubleFunction<T> f, String unit) {
    double none = median(s.get("none"), f);
    double ours = median(s.get("tracelight"), f) - none;
    double official = median(s.get("official"), f) - none;
    System.out.printf(Locale.ROOT, "- %s overhead over no agent: tracelight %+.1f %s (×%.2f), official %+.1f %s (×%.2f)"
            + " → **tracelight's overhead is %.0f%% of the official agent's**%n", what, ours, unit,
        (none + ours) / none, official, unit, (none + official) / none, 100 * ours / official);
  }

  static void printJarSizes() throws IOException {
    System.out.printf("%n### jar size%n%n| | bytes | MiB |%n|---|---|---|%n");
    for (String jar : List.of("tracelight-javaagent.jar", "opentelemetry-javaagent.jar")) {
      long size = Files.size(JARS.resolve(jar));
      System.out.printf(Locale.ROOT, "| %s | %,d | %.1f |%n", jar, size, size / 1048576.0);
    }
  }

  // ---------------------------------------------------------------------------------------------- steady state

  static final class SteadyStats {
    final List<long[]> latencies = new ArrayList<>();
    final List<Double> roundThroughput = new ArrayList<>();
    long nanos;
    long requests;
    long errors;
    double cpuMs;
  }

  static void steady(Map<String, String> opts) throws Exception {
    int requests = Integer.parseInt(opts.getOrDefault("requests", "50000"));
    int rounds = Integer.parseInt(opts.getOrDefault("rounds", "5"));
    int concurrency = Integer.parseInt(opts.getOrDefault("concurrency", "8"));
    // C2 keeps compiling for 20,000-30,000 requests of this app on 2 cores (and an agent brings about twice the methods
    // to compile): a shorter warm-up measures the JIT compiler's CPU, not the steady state.
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", "30000"));
    String app = opts.getOrDefault("app", "hello");
    Collector collector = Collector.start();
    Map<String, Process> processes = new LinkedHashMap<>();
    Map<String, URI> uris = new LinkedHashMap<>();
    try {
      for (String variant : VARIANTS) {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(agentArgs(variant));
        command.addAll(appArgs(app, port));
        Path log = LOGS.resolve("steady-" + app + "-" + variant + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        agentEnv(pb.environment(), collector, app);
        Process p = pb.start();
        STARTED.add(p);
        URI uri = URI.create("http://127.0.0.1:" + port + appPath(app));
        awaitAnswer(p, uri, log, Duration.ofSeconds(120));
        processes.put(variant, p);
        uris.put(variant, uri);
      }
      for (String variant : VARIANTS) {
        load(uris.get(variant), warmup, Math.min(concurrency, 2), null);
      }
      for (int threads : new int[] {1, concurrency}) {
        String load = loadAverage();
        Map<String, SteadyStats> stats = new LinkedHashMap<>();
        VARIANTS.forEach(v -> stats.put(v, new SteadyStats()));
        for (int r = 0; r < rounds; r++) {
          for (String variant : VARIANTS) {
            long pid = processes.get(variant).pid();
            double cpu0 = cpuMillis(pid);
            load(uris.get(variant), requests / rounds, threads, stats.get(variant));
            stats.get(variant).cpuMs += cpuMillis(pid) - cpu0;
          }
        }
        printSteady(app, requests / rounds * rounds, rounds, threads, stats, load + " → " + loadAverage());
      }
    } finally {
      processes.values().forEach(Bench::stop);
      collector.stop();
    }
  }

  /** Sends {@code count} GETs from {@code threads} threads, each waiting for its answer before the next. */
  static void load(URI uri, int count, int threads, SteadyStats into) throws Exception {
    long[] latencies = new long[count];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long t0 = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(pool.submit(() -> {
        for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
          long s = System.nanoTime();
          try {
            if (CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
              errors.incrementAndGet();
            }
          } catch (IOException | InterruptedException e) {
            errors.incrementAndGet();
          }
          latencies[i] = System.nanoTime() - s;
        }
        return null;
      }));
    }
    for (Future<?> f : futures) {
      f.get();
    }
    long elapsed = System.nanoTime() - t0;
    pool.shutdown();
    if (into != null) {
      into.latencies.add(latencies);
      into.nanos += elapsed;
      into.requests += count;
      into.errors += errors.get();
      into.roundThroughput.add(count / (elapsed / 1e9));
    }
  }

  static void printSteady(String app, int requests, int rounds, int threads, Map<String, SteadyStats> stats,
      String load) {
    System.out.printf("%n### steady state: %s, %,d requests, %s%n%n", describe(app), requests,
        threads == 1 ? "sequential" : threads + " concurrent clients");
    System.out.printf("%d rounds of %,d requests per column, the %d columns alternating; load average %s%n%n",
        rounds, requests / rounds, VARIANTS.size(), load);
    System.out.println("| | requests/s (round min–max) | p50, ms | p99, ms | app CPU per request, µs | errors |");
    System.out.println("|---|---|---|---|---|---|");
    Map<String, double[]> figures = new LinkedHashMap<>();
    for (String v : VARIANTS) {
      SteadyStats s = stats.get(v);
      long[] all = s.latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
      double rps = s.requests / (s.nanos / 1e9);
      double p50 = all[(int) (all.length * 0.50)] / 1e6;
      double p99 = all[Math.min(all.length - 1, (int) (all.length * 0.99))] / 1e6;
      double cpu = s.cpuMs * 1000 / s.requests;
      figures.put(v, new double[] {rps, p50, p99, cpu});
      System.out.printf(Locale.ROOT, "| %s | %.0f (%.0f–%.0f) | %.3f | %.3f | %.0f | %d |%n", v, rps,
          s.roundThroughput.stream().mapToDouble(d -> d).min().orElse(0),
          s.roundThroughput.stream().mapToDouble(d -> d).max().orElse(0), p50, p99, cpu, s.errors);
    }
    double[] none = figures.get("none");
    double[] ours = figures.get("tracelight");
    double[] off = figures.get("official");
    System.out.printf(Locale.ROOT, "%n- throughput kept: tracelight %.1f%%, official %.1f%% of no agent%n",
        100 * ours[0] / none[0], 100 * off[0] / none[0]);
    if (figures.containsKey("baseline")) {
      double[] base = figures.get("baseline");
      System.out.printf(Locale.ROOT, "- baseline (--baseline jar): throughput kept %.1f%%, CPU per request overhead "
          + "%+.0f µs (tracelight %+.0f µs)%n", 100 * base[0] / none[0], base[3] - none[3], ours[3] - none[3]);
    }
    System.out.printf(Locale.ROOT, "- p99 overhead: tracelight %+.3f ms, official %+.3f ms → **tracelight's is %.0f%% of"
        + " the official agent's**%n", ours[2] - none[2], off[2] - none[2], 100 * (ours[2] - none[2]) / (off[2] - none[2]));
    System.out.printf(Locale.ROOT, "- CPU per request overhead: tracelight %+.0f µs, official %+.0f µs → %.0f%%%n",
        ours[3] - none[3], off[3] - none[3], 100 * (ours[3] - none[3]) / (off[3] - none[3]));
  }

  // ---------------------------------------------------------------------------------------------- collector-lite

  static void collectorStartup(Map<String, String> opts) throws Exception {
    int runs = Integer.parseInt(opts.getOrDefault("runs", "5"));
    String load = loadAverage();
    List<double[]> samples = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      Collector c = Collector.start();
      double wall = (System.nanoTime() - t0) / 1e6;
      samples.add(new double[] {wall, cpuMillis(c.process.pid()), statusKb(c.process.pid(), "VmRSS") / 1024.0});
      c.stop();
    }
    System.out.printf("%n### collector-lite start-up to healthy%n%n%d runs, `java -jar collector-lite.jar` with default"
        + " JVM settings, OTLP gRPC + HTTP receivers, batch, debug exporter; load average %s%n%n", runs,
        load + " → " + loadAverage());
    System.out.println("| JVM start to health_check 200, ms | CPU to healthy, ms | RSS when healthy, MiB |");
    System.out.println("|---|---|---|");
    System.out.printf("| %s | %s | %s |%n", spread(samples, d -> d[0], "%.0f"), spread(samples, d -> d[1], "%.0f"),
        spread(samples, d -> d[2], "%.0f"));
  }

  /** collector-lite with OTLP in (gRPC and HTTP on free ports) and a debug exporter: a real OTLP endpoint. */
  static final class Collector {
    final Process process;
    final int httpPort;

    private Collector(Process process, int httpPort) {
      this.process = process;
      this.httpPort = httpPort;
    }

    static Collector start() throws Exception {
      int grpc = freePort();
      int http = freePort();
      int health = freePort();
      String config = """
          receivers:
            otlp:
              protocols:
                grpc: {endpoint: "127.0.0.1:%d"}
                http: {endpoint: "127.0.0.1:%d"}
          processors:
            batch: {}
          exporters:
            debug: {verbosity: basic}
          extensions:
            health_check: {endpoint: "127.0.0.1:%d"}
          service:
            extensions: [health_check]
            telemetry: {metrics: {level: none}}
            pipelines:
              traces: {receivers: [otlp], processors: [batch], exporters: [debug]}
              metrics: {receivers: [otlp], processors: [batch], exporters: [debug]}
              logs: {receivers: [otlp], processors: [batch], exporters: [debug]}
          """.formatted(grpc, http, health);
      Path file = Files.writeString(LOGS.resolve("collector-" + http + ".yaml"), config);
      Path log = LOGS.resolve("collector-" + http + ".log");
      ProcessBuilder pb = new ProcessBuilder(java(), "-jar", JARS.resolve("collector-lite.jar").toString(),
          "--config", file.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().remove("JAVA_TOOL_OPTIONS");
      Process p = pb.start();
      STARTED.add(p);
      awaitAnswer(p, URI.create("http://127.0.0.1:" + health + "/"), log, Duration.ofSeconds(60));
      return new Collector(p, http);
    }

    void stop() {
      Bench.stop(process);
    }
  }

  // ---------------------------------------------------------------------------------------------- the apps

  static List<String> appArgs(String app, int port) {
    return switch (app) {
      case "hello" -> List.of("-cp", JARS.resolve("bench-hello.jar").toString(), "BenchHello",
          Integer.toString(port));
      case "boot" -> List.of("-jar", JARS.resolve("user-service-exec.jar").toString(), "--server.port=" + port,
          "--server.address=127.0.0.1", "--spring.main.banner-mode=off");
      default -> throw new IllegalArgumentException("unknown app " + app + " (hello, boot)");
    };
  }

  static String appPath(String app) {
    return app.equals("hello") ? "/hello" : "/users/1";
  }

  static String describe(String app) {
    return app.equals("hello")
        ? "JDK HttpServer app (bench/app/BenchHello, `GET /hello` → java.net.http + HttpURLConnection → itself)"
        : "Spring Boot 3.5 sample test1 (samples/user-service: Tomcat, MVC, JdbcTemplate, HikariCP, H2; `GET /users/1`)";
  }

  static List<String> agentArgs(String variant) {
    return switch (variant) {
      case "none" -> List.of();
      case "tracelight" -> List.of("-javaagent:" + JARS.resolve("tracelight-javaagent.jar"));
      case "official" -> List.of("-javaagent:" + JARS.resolve("opentelemetry-javaagent.jar"));
      case "baseline" -> List.of("-javaagent:" + JARS.resolve("baseline-javaagent.jar"));
      default -> throw new IllegalArgumentException(variant);
    };
  }

  /** The same settings for both agents: traces, metrics and logs (their defaults) over OTLP http/protobuf. */
  static void agentEnv(Map<String, String> env, Collector collector, String app) {
    env.remove("JAVA_TOOL_OPTIONS");
    env.keySet().removeIf(k -> k.startsWith("OTEL_"));
    env.put("OTEL_SERVICE_NAME", "bench-" + app);
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + collector.httpPort);
    env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
  }

  // ---------------------------------------------------------------------------------------------- process helpers

  static void awaitAnswer(Process p, URI uri, Path log, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("process exited with " + p.exitValue() + " before answering " + uri
            + "; its output is in " + log);
      }
      try {
        int status = get(uri);
        if (status == 200) {
          return;
        }
        throw new IllegalStateException(uri + " answered " + status + "; see " + log);
      } catch (ConnectException e) {
        Thread.sleep(5);
      }
    }
    throw new IllegalStateException("no answer from " + uri + " within " + timeout + "; see " + log);
  }

  static int get(URI uri) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static String jcmd(long pid, String command) throws Exception {
    return tool("jcmd", Long.toString(pid), command);
  }

  static double loadedClasses(long pid) throws Exception {
    // jstat -class: "Loaded  Bytes  Unloaded  Bytes  Time" then the values.
    String[] lines = tool("jstat", "-class", Long.toString(pid)).strip().split("\n");
    return Double.parseDouble(lines[lines.length - 1].trim().split("\\s+")[0]);
  }

  static String tool(String name, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", name).toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }

  static double kib(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("no match for " + regex + " in:\n" + text);
    }
    return Double.parseDouble(m.group(1));
  }

  /** user+system CPU time of a process, from /proc/PID/stat (fields 14 and 15, in clock ticks of 10 ms). */
  static double cpuMillis(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0;
  }

  static double statusKb(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(field + ":")) {
        return Double.parseDouble(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException(field + " missing in /proc/" + pid + "/status");
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static void stop(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(10), java.util.concurrent.TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  static void stopAll() {
    STARTED.stream().filter(Process::isAlive).forEach(Bench::stop);
  }

  // ---------------------------------------------------------------------------------------------- statistics

  static <T> double median(List<T> l, ToDoubleFunction<T> f) {
    double[] v = l.stream().mapToDouble(f).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** "median (min–max)". */
  static <T> String spread(List<T> l, ToDoubleFunction<T> f, String format) {
    double[] v = l.stream().mapToDouble(f).sorted().toArray();
    if (v.length == 1) {
      return String.format(Locale.ROOT, format, v[0]);
    }
    return String.format(Locale.ROOT, format + " (" + format + "–" + format + ")", median(l, f), v[0],
        v[v.length - 1]);
  }
}
