package dev.tracelight.collector.traceview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracelight.collector.config.CollectorConfig;
import dev.tracelight.collector.config.ComponentId;
import dev.tracelight.collector.config.ConfigException;
import dev.tracelight.collector.config.ConfigReader;
import dev.tracelight.collector.config.ExporterConfig;
import dev.tracelight.collector.config.HostPort;
import dev.tracelight.collector.pipeline.RetryPolicy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceViewConfigTest {
  private static final ConfigReader READER = ConfigReader.create(Map.of(), false, 1L << 30);

  @Test
  void readsTheTraceViewExporterWithTheDefaultsOfItsKeys() throws Exception {
    CollectorConfig config = READER.read("config.yaml", yaml("traceview:"));

    ExporterConfig.TraceView view = (ExporterConfig.TraceView) config.exporters().get(ComponentId.parse("traceview"));
    assertThat(view.endpoint()).isEqualTo(new HostPort("0.0.0.0", 16686));
    assertThat(view.maxTraces()).isEqualTo(10_000);
    assertThat(view.maxSpans()).isEqualTo(50_000);
    assertThat(view.ttl()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void readsEveryTraceViewKey() throws Exception {
    CollectorConfig config = READER.read("config.yaml", yaml("""
        traceview/local:
            endpoint: 127.0.0.1:18686
            max_traces: 200
            max_spans: 5000
            ttl: 90s"""));

    assertThat(config.exporters().get(ComponentId.parse("traceview/local"))).isEqualTo(new ExporterConfig.TraceView(
        ComponentId.parse("traceview/local"), new HostPort("127.0.0.1", 18686), 200, 5000, Duration.ofSeconds(90),
        new ExporterConfig.Queue(true, 1000, 1), RetryPolicy.defaults()));
  }

  @Test
  void rejectsUnknownKeysAndBadValuesNamingFileKeyAndWhatIsAccepted() {
    assertThatThrownBy(() -> READER.read("config.yaml", yaml("""
        traceview:
            endpoint: nowhere
            max_traces: 0
            ttl: soon
            max_span: 10""")))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactlyInAnyOrder(
            "config.yaml: exporters.traceview.endpoint: \"nowhere\" is not host:port (expected e.g. 0.0.0.0:16686)",
            "config.yaml: exporters.traceview.max_traces: 0 is out of range (expected 1 to 10000000)",
            "config.yaml: exporters.traceview.ttl: \"soon\" is not a duration (expected e.g. 200ms, 5s, 1m30s)",
            "config.yaml: exporters.traceview.max_span: unknown key (accepted: endpoint, max_traces, max_spans, ttl)"));
  }

  private static String yaml(String exporter) {
    return """
        receivers:
          otlp:
            protocols:
              http:
        exporters:
          %s
        service:
          pipelines:
            traces: {receivers: [otlp], exporters: [%s]}
        """.formatted(exporter.replace("\n", "\n  "), exporter.substring(0, exporter.indexOf(':')));
  }
}
