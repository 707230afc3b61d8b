package dev.tracelight.collector.config;

import dev.tracelight.collector.pipeline.Batching;
import java.time.Duration;

/** The processors collector-lite has. */
public sealed interface ProcessorConfig {
  ComponentId id();

  /** Limits are resolved to bytes of JVM heap (percentages are of the maximum heap, see README). */
  record MemoryLimiter(ComponentId id, Duration checkInterval, long limitBytes, long spikeLimitBytes)
      implements ProcessorConfig {}

  record Batch(ComponentId id, Batching batching) implements ProcessorConfig {}
}
