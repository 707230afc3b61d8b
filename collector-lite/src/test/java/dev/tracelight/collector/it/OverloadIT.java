package dev.tracelight.collector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tracelight.collector.bench.ProcessStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten times the sustainable rate against the packaged jar, sized as the DaemonSet sizes it (heap half the memory
 * limit, memory_limiter 75 % / 15 %): the collector refuses what it cannot hold with a retry hint, its RSS stays under
 * the limit, and everything it accepted reaches the backend exactly once. {@code -Doverload.seconds=N} loads longer.
 * The RSS limit is a container's: heap ({@code -Xmx}) plus the same again for everything else.
 */
class OverloadIT {
  private static final int SPANS_PER_REQUEST = 1000;
  /** The backend takes 200 ms per request and the exporter has 2 consumers: 10 requests/s are sustainable. */
  private static final double SUSTAINABLE_PER_SECOND = 10;
  private static final long MEMORY_LIMIT_MIB = 256;

  @TempDir
  Path dir;

  @Test
  void refusesTheExcessWithRetryHintsStaysUnderItsMemoryLimitAndDeliversEverythingAccepted() throws Exception {
    long seconds = Long.getLong("overload.seconds", 10);
    int http = TestBackend.freePort();
    int grpc = TestBackend.freePort();
    int health = TestBackend.freePort();
    int metrics = TestBackend.freePort();
    try (CountingSink sink = CountingSink.started();
        ForkedCollector collector = ForkedCollector.start(dir, """
            receivers:
              otlp:
                protocols:
                  http: {endpoint: "127.0.0.1:%d"}
                  grpc: {endpoint: "127.0.0.1:%d"}
            processors:
              memory_limiter: {check_interval: 1s, limit_percentage: 75, spike_limit_percentage: 15}
            exporters:
              otlphttp/sink:
                endpoint: %s
                compression: none
                sending_queue: {queue_size: 100000, num_consumers: 2}
                retry_on_failure: {initial_interval: 50ms, max_interval: 200ms, max_elapsed_time: 0}
            extensions:
              health_check: {endpoint: "127.0.0.1:%d"}
            service:
              extensions: [health_check]
              telemetry: {metrics: {address: "127.0.0.1:%d"}}
              pipelines:
                traces: {receivers: [otlp], processors: [memory_limiter], exporters: [otlphttp/sink]}
            """.formatted(http, grpc, sink.endpoint(), health, metrics), health, metrics,
            // a JVM in a 256 MiB container picks the serial collector itself (not a "server-class machine")
            "-Xmx" + MEMORY_LIMIT_MIB / 2 + "m", "-XX:+UseSerialGC")) {
      sink.slowDown(Duration.ofMillis(200));
      long limit = collector.metric("otelcol_receiver_admitted_bytes_limit");
      AtomicLong peakAdmitted = new AtomicLong();
      LoadClients load = LoadClients.start(http, 6, grpc, 2, SPANS_PER_REQUEST, 10 * SUSTAINABLE_PER_SECOND);
      long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
      while (System.nanoTime() < end) {
        peakAdmitted.accumulateAndGet(collector.metric("otelcol_receiver_admitted_bytes"), Math::max);
        Thread.sleep(100);
      }
      load.close();
      sink.slowDown(Duration.ZERO);

      await().atMost(Duration.ofSeconds(120)).until(() -> sink.spans() >= load.acceptedSpans.get());
      Thread.sleep(500); // anything beyond what was accepted would arrive now
      double peakRss = ProcessStats.peakRssMib(collector.pid());
      System.out.printf("overload: %d s at %.0f req/s offered (%d spans each, sustainable %.0f req/s): sent %d, "
              + "accepted %d, refused with hint %d, refused without %d, errors %d; delivered %d spans in %d requests; "
              + "peak admitted %.1f MiB of %.1f MiB; peak RSS %.0f MiB (limit %d MiB, heap %d MiB)%n",
          seconds, 10 * SUSTAINABLE_PER_SECOND, SPANS_PER_REQUEST, SUSTAINABLE_PER_SECOND, load.sent.get(),
          load.acceptedMarkers.size(), load.refusedWithHint.get(), load.refusedWithoutHint.get(), load.errors.get(),
          sink.spans(), sink.requests(), peakAdmitted.get() / 1048576.0, limit / 1048576.0, peakRss, MEMORY_LIMIT_MIB,
          MEMORY_LIMIT_MIB / 2);

      assertThat(load.refusedWithHint.get()).isPositive();
      assertThat(load.refusedWithoutHint.get()).isZero();
      assertThat(load.errors.get()).isZero();
      assertThat(sink.spans()).isEqualTo(load.acceptedSpans.get());
      assertThat(sink.markers().keySet()).isEqualTo(load.acceptedMarkers);
      assertThat(sink.markers().values()).allMatch(n -> n == 1);
      assertThat(peakAdmitted.get()).isLessThanOrEqualTo(limit);
      assertThat(peakRss).isLessThan(MEMORY_LIMIT_MIB);
    }
  }
}
