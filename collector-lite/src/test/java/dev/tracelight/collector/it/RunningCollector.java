package dev.tracelight.collector.it;

import dev.tracelight.collector.Collector;
import dev.tracelight.collector.config.CollectorConfig;
import dev.tracelight.collector.config.ConfigException;
import dev.tracelight.collector.config.ConfigReader;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/** Starts collector-lite in the test JVM from YAML text, the way Main does from a file. */
final class RunningCollector {
  private RunningCollector() {}

  static Collector start(String yaml) throws ConfigException, IOException {
    return start(yaml, Map.of());
  }

  static Collector start(String yaml, Map<String, String> env) throws ConfigException, IOException {
    CollectorConfig config = ConfigReader.create(env, false, Runtime.getRuntime().maxMemory()).read("test.yaml", yaml);
    return Collector.start(config);
  }

  static void stop(Collector collector) {
    if (collector != null) {
      collector.shutdown(Duration.ofSeconds(5));
    }
  }
}
