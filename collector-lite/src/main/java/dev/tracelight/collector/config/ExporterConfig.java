package dev.tracelight.collector.config;

import dev.tracelight.collector.pipeline.RetryPolicy;
import dev.tracelight.collector.pipeline.Signal;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** The exporters collector-lite has; each has its own sending queue and retry policy. */
public sealed interface ExporterConfig {
  ComponentId id();

  Queue queue();

  RetryPolicy retry();

  /**
   * {@code sending_queue}; disabled means no waiting room: a request is taken only while a consumer can send it.
   *
   * @param storage the {@code file_storage} extension that keeps this queue on disk, or null for a queue in memory
   */
  record Queue(boolean enabled, int queueSize, int numConsumers, ComponentId storage) {
    public Queue(boolean enabled, int queueSize, int numConsumers) {
      this(enabled, queueSize, numConsumers, null);
    }

    public int capacity() {
      return enabled ? queueSize : numConsumers;
    }
  }

  record Tls(boolean insecure, String caFile, String certFile, String keyFile) {}

  /** {@code otlp} / {@code otlp_grpc}. */
  record OtlpGrpc(ComponentId id, HostPort endpoint, Tls tls, Map<String, String> headers, boolean gzip,
      Duration timeout, Queue queue, RetryPolicy retry) implements ExporterConfig {}

  /** {@code otlphttp} / {@code otlp_http}: one URL per signal, from {@code endpoint} + /v1/signal or set per signal. */
  record OtlpHttp(ComponentId id, Map<Signal, URI> urls, Tls tls, Map<String, String> headers, boolean gzip,
      boolean json, Duration timeout, Queue queue, RetryPolicy retry) implements ExporterConfig {}

  /** {@code debug}. */
  record Debug(ComponentId id, String verbosity, Queue queue, RetryPolicy retry) implements ExporterConfig {}

  /** {@code traceview}: recent traces in memory, shown on {@code endpoint}; ttl zero keeps them until evicted. */
  record TraceView(ComponentId id, HostPort endpoint, int maxTraces, int maxSpans, Duration ttl, Queue queue,
      RetryPolicy retry) implements ExporterConfig {}
}
