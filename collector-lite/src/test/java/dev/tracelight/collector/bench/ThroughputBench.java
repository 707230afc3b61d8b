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
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throughput of collector-lite on loopback: OTLP requests of 100 spans over gRPC or HTTP, through batch into two
 * exporters (OTLP/gRPC and OTLP/HTTP, gzip as by default) to two counting sinks. The collector runs as its own process
 * (the packaged jar) so that its CPU time and peak RSS are its own. Reports spans/s, CPU used, spans per CPU-second
 * (= spans/s per core) and peak RSS, and checks that both sinks got every accepted span.
 *
 * <p>{@code --stack jdk|netty} instead measures the bare HTTP server candidates (StackServer) under the same load.
 * See collector-lite/bench/run.sh for the commands.
 */
public final class ThroughputBench {
  private static final int SPANS_PER_REQUEST = 100;

  private ThroughputBench() {}

  public static void main(String[] args) throws Exception {
    String jar = "target/collector-lite.jar";
    String protocol = "grpc";
    String stack = null;
    int seconds = 20;
    int warmup = 5;
    int threads = 4;
    int rate = 0;
    String heap = "256m";
    String jvmFlags = "";
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--jar" -> jar = args[i + 1];
        case "--protocol" -> protocol = args[i + 1];
        case "--stack" -> stack = args[i + 1];
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
        case "--threads" -> threads = Integer.parseInt(args[i + 1]);
        case "--rate" -> rate = Integer.parseInt(args[i + 1]);
        case "--heap" -> heap = args[i + 1];
        case "--jvm-flags" -> jvmFlags = args[i + 1];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    byte[] payload = payload();
    Path dir = Files.createTempDirectory("collector-bench");
    try (SinkBackends sinks = new SinkBackends()) {
      int grpcPort = freePort();
      int httpPort = freePort();
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx" + heap));
      if (!jvmFlags.isBlank()) {
        command.addAll(List.of(jvmFlags.trim().split("\\s+")));
      }
      if (stack != null) {
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StackServer.class.getName(), stack,
            Integer.toString(httpPort)));
        protocol = "http";
      } else {
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
              telemetry: {metrics: {level: none}}
              pipelines:
                traces: {receivers: [otlp], processors: [memory_limiter, batch], exporters: [otlp/sink, otlphttp/sink]}
            """.formatted(grpcPort, httpPort, sinks.grpcPort(), sinks.httpPort()));
        command.addAll(List.of("-jar", jar, "--config", config.toString()));
      }
      Process server = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("server.log").toFile()).start();
      try {
        waitForPort(protocol.equals("grpc") ? grpcPort : httpPort);
        Load load = new Load(protocol, protocol.equals("grpc") ? grpcPort : httpPort, payload, threads, rate);
        load.start();
        Thread.sleep(warmup * 1000L);
        long pid = server.pid();
        System.out.println("collector pid " + pid);
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
        if (stack == null) {
          long deadline = System.nanoTime() + 60_000_000_000L;
          while (System.nanoTime() < deadline
              && (sinks.grpcSpans.get() < accepted || sinks.httpSpans.get() < accepted)) {
            Thread.sleep(100);
          }
          delivered = sinks.grpcSpans.get() == accepted && sinks.httpSpans.get() == accepted ? "yes" : "NO: grpc "
              + sinks.grpcSpans.get() + ", http " + sinks.httpSpans.get() + " of " + accepted;
        }
        double spansPerSecond = (spans1 - spans0) / wall;
        double cores = (cpu1 - cpu0) / wall;
        System.out.printf("%-22s threads=%d rate=%s  spans/s=%,.0f  cpu=%.2f cores  spans/s per core=%,.0f  "
                + "rss=%.0f MiB  peak rss=%.0f MiB  refused=%d  every span at both sinks=%s%n",
            stack == null ? "collector-lite " + protocol : "stack " + stack, threads, rate == 0 ? "max" : rate,
            spansPerSecond, cores, (spans1 - spans0) / (cpu1 - cpu0), rss, peak, load.refused.get(), delivered);
      } finally {
        server.destroy();
        server.waitFor();
      }
    }
    System.exit(0); // the load generator's channel and client threads are not worth a clean shutdown here
  }

  /** Load generator: {@code threads} senders, each sending the same 100-span request, optionally paced to a rate. */
  private static final class Load {
    final AtomicLong acceptedSpans = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    Load(String protocol, int port, byte[] payload, int count, int spansPerSecond) {
      ManagedChannel channel = protocol.equals("grpc")
          ? ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build() : null;
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/traces"))
          .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build();
      long intervalNanos = spansPerSecond == 0 ? 0 : 1_000_000_000L * SPANS_PER_REQUEST * count / spansPerSecond;
      for (int i = 0; i < count; i++) {
        threads.add(new Thread(() -> {
          long next = System.nanoTime();
          while (running) {
            boolean ok;
            try {
              if (channel != null) {
                ClientCalls.blockingUnaryCall(channel, OtlpGrpc.export(Signal.TRACES), CallOptions.DEFAULT, payload);
                ok = true;
              } else {
                ok = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
              }
            } catch (StatusRuntimeException e) {
              ok = false;
            } catch (Exception e) {
              return;
            }
            if (ok) {
              acceptedSpans.addAndGet(SPANS_PER_REQUEST);
            } else {
              refused.incrementAndGet();
            }
            if (intervalNanos > 0) {
              next += intervalNanos;
              long sleep = next - System.nanoTime();
              if (sleep < -intervalNanos) {
                next = System.nanoTime(); // a stalled sender does not make up for lost time with a burst: the rate is fixed
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
