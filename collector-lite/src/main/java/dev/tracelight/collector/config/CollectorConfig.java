package dev.tracelight.collector.config;

import java.util.List;
import java.util.Map;

/** A read and checked collector config; {@code warnings} are mistakes that still run (see ConfigReader). */
public record CollectorConfig(
    String file,
    Map<ComponentId, OtlpReceiverConfig> receivers,
    Map<ComponentId, ProcessorConfig> processors,
    Map<ComponentId, ExporterConfig> exporters,
    Map<ComponentId, ExtensionConfig> extensions,
    ServiceConfig service,
    List<String> warnings) {}
