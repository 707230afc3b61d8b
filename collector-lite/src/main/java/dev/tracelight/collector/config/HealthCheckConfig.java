package dev.tracelight.collector.config;

/** Extension {@code health_check}. */
public record HealthCheckConfig(ComponentId id, HostPort endpoint, String path) implements ExtensionConfig {}
