package dev.tracelight.collector.config;

/** The extensions collector-lite has. */
public sealed interface ExtensionConfig permits HealthCheckConfig, FileStorageConfig {
  ComponentId id();
}
