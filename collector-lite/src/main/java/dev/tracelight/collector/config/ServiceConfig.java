package dev.tracelight.collector.config;

import dev.tracelight.collector.pipeline.Signal;
import dev.tracelight.collector.telemetry.Log;
import java.util.List;

/**
 * {@code service}.
 *
 * @param metricsAddress where the collector's own metrics are served; null when {@code telemetry.metrics.level: none}
 */
public record ServiceConfig(List<ComponentId> extensions, List<Pipeline> pipelines, HostPort metricsAddress,
    Log.Level logLevel) {

  public record Pipeline(String id, Signal signal, List<ComponentId> receivers, List<ComponentId> processors,
      List<ComponentId> exporters) {}
}
