package dev.tracelight.collector.pipeline;

import dev.tracelight.collector.telemetry.Log;
import dev.tracelight.collector.telemetry.Telemetry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@code memory_limiter}: every {@code check_interval} it measures the heap; above the soft limit (limit minus spike) it
 * refuses new requests with a retry hint until usage falls again. Like the collector it forces a GC when it finds the
 * heap above the soft limit (at most every {@link #MIN_GC_INTERVAL}), because a JVM heap counts garbage as used.
 */
public final class MemoryLimiter implements Admission {
  static final Duration MIN_GC_INTERVAL = Duration.ofSeconds(10);

  private final String id;
  private final long softLimitBytes;
  private final long limitBytes;
  private final Duration retryAfter;
  private final LongSupplier usedBytes;
  private final Runnable gc;
  private final Map<Signal, Telemetry.Counter> refused = new EnumMap<>(Signal.class);
  private volatile boolean refusing;
  private long lastGcNanos = Long.MIN_VALUE / 2;

  private MemoryLimiter(String id, long limitBytes, long spikeBytes, Duration checkInterval, LongSupplier usedBytes,
      Runnable gc, Telemetry telemetry) {
    this.id = id;
    this.limitBytes = limitBytes;
    this.softLimitBytes = limitBytes - spikeBytes;
    this.retryAfter = checkInterval.compareTo(Duration.ofSeconds(1)) > 0 ? checkInterval : Duration.ofSeconds(1);
    this.usedBytes = usedBytes;
    this.gc = gc;
    for (Signal s : Signal.values()) {
      refused.put(s, telemetry.counter("otelcol_processor_refused_" + s.itemName(),
          "Items refused by the memory limiter.", "processor", id));
    }
  }

  /**
   * @param limitBytes hard limit; refusing starts at {@code limitBytes - spikeBytes}
   * @param usedBytes the heap in use now
   * @param gc what to run to reclaim garbage before deciding (System::gc in production)
   */
  public static MemoryLimiter create(String id, long limitBytes, long spikeBytes, Duration checkInterval,
      LongSupplier usedBytes, Runnable gc, Telemetry telemetry) {
    return new MemoryLimiter(id, limitBytes, spikeBytes, checkInterval, usedBytes, gc, telemetry);
  }

  /** Called every check_interval. */
  public synchronized void measure() {
    long used = usedBytes.getAsLong();
    if (used > softLimitBytes && System.nanoTime() - lastGcNanos > MIN_GC_INTERVAL.toNanos()) {
      lastGcNanos = System.nanoTime();
      gc.run();
      used = usedBytes.getAsLong();
    }
    boolean above = used > softLimitBytes;
    if (above != refusing) {
      Log.warn("memory_limiter " + id + ": heap " + (used >> 20) + " MiB "
          + (above ? "above soft limit " + (softLimitBytes >> 20) + " MiB (hard " + (limitBytes >> 20)
              + " MiB), refusing data" : "back under the soft limit, accepting data"));
    }
    refusing = above;
  }

  @Override
  public Refusal check(OtlpRequest request) {
    if (!refusing) {
      return null;
    }
    refused.get(request.signal()).add(request.items());
    return new Refusal(Refusal.Reason.MEMORY_LIMIT,
        "memory usage above the soft limit of " + (softLimitBytes >> 20) + " MiB; data refused, retry later", retryAfter);
  }

  public boolean refusing() {
    return refusing;
  }
}
