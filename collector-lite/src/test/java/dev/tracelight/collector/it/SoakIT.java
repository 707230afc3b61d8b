package dev.tracelight.collector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tracelight.collector.bench.ProcessStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded soak of the packaged jar: steady traffic over HTTP and gRPC for {@code -Dsoak.seconds} (60 by default) while
 * two backends flap (up, answering 503, down, slow, each on its own cycle), one behind a queue in memory and one behind
 * a queue on disk. Afterwards each backend holds exactly what was accepted, once, and the collector's heap after a full
 * GC, its threads and its open files are where they were after warm-up.
 */
class SoakIT {
  private static final int SPANS_PER_REQUEST = 100;

  @TempDir
  Path dir;

  @Test
  void deliversEverythingAcceptedToTwoFlappingBackendsWithoutGrowingHeapThreadsOrFiles() throws Exception {
    long seconds = Long.getLong("soak.seconds", 60);
    int http = TestBackend.freePort();
    int grpc = TestBackend.freePort();
    int health = TestBackend.freePort();
    int metrics = TestBackend.freePort();
    try (CountingSink memoryBacked = CountingSink.started();
        CountingSink diskBacked = CountingSink.started();
        ForkedCollector collector = ForkedCollector.start(dir, """
            receivers:
              otlp:
                protocols:
                  http: {endpoint: "127.0.0.1:%d"}
                  grpc: {endpoint: "127.0.0.1:%d"}
            processors:
              memory_limiter: {check_interval: 1s, limit_mib: 100, spike_limit_mib: 20}
              batch: {send_batch_size: 2000, timeout: 200ms}
            exporters:
              otlphttp/memory:
                endpoint: %s
                sending_queue: {queue_size: 20000, num_consumers: 4}
                retry_on_failure: {initial_interval: 50ms, max_interval: 500ms, max_elapsed_time: 0}
              otlphttp/disk:
                endpoint: %s
                sending_queue: {queue_size: 20000, num_consumers: 4, storage: file_storage}
                retry_on_failure: {initial_interval: 50ms, max_interval: 500ms, max_elapsed_time: 0}
            extensions:
              health_check: {endpoint: "127.0.0.1:%d"}
              file_storage: {directory: "%s", create_directory: true}
            service:
              extensions: [health_check, file_storage]
              telemetry: {metrics: {address: "127.0.0.1:%d"}}
              pipelines:
                traces:
                  receivers: [otlp]
                  processors: [memory_limiter, batch]
                  exporters: [otlphttp/memory, otlphttp/disk]
            """.formatted(http, grpc, memoryBacked.endpoint(), diskBacked.endpoint(), health, dir.resolve("queues"),
            metrics), health, metrics, "-Xmx128m", "-XX:+UseSerialGC")) {
      long pid = collector.pid();
      LoadClients load = LoadClients.start(http, 2, grpc, 1, SPANS_PER_REQUEST, 60);
      Thread.sleep(Math.min(10, seconds / 4) * 1000L); // warm-up: classes loaded, pools and buffers at working size
      Snapshot start = Snapshot.of(pid);
      long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
      for (int tick = 0; System.nanoTime() < end; tick++) {
        flap(memoryBacked, tick % 13);
        flap(diskBacked, (tick + 6) % 11);
        Thread.sleep(1000);
      }
      load.close();
      for (CountingSink s : new CountingSink[] {memoryBacked, diskBacked}) {
        s.refuse(false);
        s.slowDown(Duration.ZERO);
        s.start();
      }
      try {
        await().atMost(Duration.ofSeconds(120)).until(() -> memoryBacked.spans() >= load.acceptedSpans.get()
            && diskBacked.spans() >= load.acceptedSpans.get());
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        Files.copy(dir.resolve("collector.log"), Path.of("target", "soak-collector.log"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        throw new AssertionError("accepted " + load.acceptedSpans.get() + " spans; memory-backed sink has "
            + memoryBacked.spans() + ", disk-backed " + diskBacked.spans() + "; collector metrics:\n"
            + collector.metrics().lines().filter(l -> l.startsWith("otelcol_exporter") || l.startsWith("otelcol_receiver"))
                .collect(java.util.stream.Collectors.joining("\n")), e);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> collector.metric(
          "otelcol_exporter_queue_size{exporter=\"otlphttp/disk\",pipeline=\"traces\"}") == 0);
      Thread.sleep(1000); // let the last acknowledged segment be deleted and idle threads settle
      Snapshot after = Snapshot.of(pid);
      System.out.printf("soak: %d s, sent %d requests (%d spans each), accepted %d, refused with hint %d, errors %d; "
              + "delivered %d spans (memory queue) and %d (disk queue); heap after GC %.1f -> %.1f MiB, RSS %.0f -> "
              + "%.0f MiB (peak %.0f), threads %d -> %d, open regular files %d -> %d%n",
          seconds, load.sent.get(), SPANS_PER_REQUEST, load.acceptedMarkers.size(), load.refusedWithHint.get(),
          load.errors.get(), memoryBacked.spans(), diskBacked.spans(), start.heapMib, after.heapMib, start.rssMib,
          after.rssMib, ProcessStats.peakRssMib(pid), start.threads, after.threads, start.files, after.files);

      for (CountingSink s : new CountingSink[] {memoryBacked, diskBacked}) {
        assertThat(s.spans()).isEqualTo(load.acceptedSpans.get());
        assertThat(s.markers().keySet()).isEqualTo(load.acceptedMarkers);
        assertThat(s.markers().values()).allMatch(n -> n == 1);
      }
      assertThat(load.refusedWithoutHint.get()).isZero();
      assertThat(load.errors.get()).isZero();
      assertThat(after.heapMib).isLessThan(start.heapMib + 16);
      // pools start threads lazily (HttpServer workers, Netty event loops, the HTTP client's cached pool): a few more
      // threads at the end are pools filling up, a leak grows with the run (20 s: +3, 60 s: +3, 300 s: +5)
      assertThat(after.threads).isLessThanOrEqualTo(start.threads + 8);
      assertThat(after.files).isLessThanOrEqualTo(start.files + 4);
      try (Stream<Path> segments = Files.list(dir.resolve("queues").resolve("otlphttp_disk-traces"))) {
        assertThat(segments.filter(p -> p.toString().endsWith(".seg"))).hasSize(1);
      }
    }
  }

  /** A cycle of a backend's moods, one step per second. */
  private static void flap(CountingSink sink, int step) {
    if (step == 0) {
      sink.refuse(true); // 503 + Retry-After: 0 for 3 s
    } else if (step == 3) {
      sink.refuse(false);
      sink.stop(); // down for 3 s: connection refused
    } else if (step == 6) {
      sink.start();
      sink.slowDown(Duration.ofMillis(300)); // slow for 2 s
    } else if (step == 8) {
      sink.slowDown(Duration.ZERO);
    }
  }

  private record Snapshot(double heapMib, double rssMib, int threads, long files) {
    static Snapshot of(long pid) throws IOException, InterruptedException {
      return new Snapshot(heapAfterGcMib(pid), ProcessStats.rssMib(pid), ProcessStats.threads(pid), openFiles(pid));
    }

    /** jcmd forces a full GC, then reads how much heap is in use. */
    private static double heapAfterGcMib(long pid) throws IOException, InterruptedException {
      jcmd(pid, "GC.run");
      String info = jcmd(pid, "GC.heap_info");
      // serial GC: "def new generation total 39296K, used 1234K ..." and "tenured generation total ..K, used ..K"
      double used = 0;
      for (String line : info.split("\n")) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("generation\\s+total \\d+K, used (\\d+)K")
            .matcher(line);
        if (m.find()) {
          used += Long.parseLong(m.group(1));
        }
      }
      return used / 1024;
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          Long.toString(pid), command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor(30, TimeUnit.SECONDS);
      return out;
    }

    /** Open regular files (queue segments, jars, logs); sockets and pipes vary with connection pools, so not them. */
    private static long openFiles(long pid) throws IOException {
      try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
        return fds.filter(fd -> {
          try {
            return Files.readSymbolicLink(fd).toString().startsWith("/");
          } catch (IOException e) {
            return false; // closed meanwhile
          }
        }).count();
      }
    }
  }
}
