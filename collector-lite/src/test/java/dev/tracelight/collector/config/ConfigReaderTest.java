package dev.tracelight.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tracelight.collector.pipeline.Signal;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigReaderTest {
  private static final long HEAP = 1000L << 20;
  private final ConfigReader reader = ConfigReader.create(Map.of("BACKEND", "jaeger:4317", "EMPTY", ""), false, HEAP);

  @Test
  void loadsTheReferenceConfigWithItsWarnings() throws Exception {
    CollectorConfig c = reader.read("config.yaml", fixture("reference-config.yaml"));

    assertThat(c.service().pipelines()).extracting(ServiceConfig.Pipeline::signal)
        .containsExactly(Signal.TRACES, Signal.METRICS, Signal.LOGS);
    assertThat(c.exporters()).containsOnlyKeys(ComponentId.parse("debug"), ComponentId.parse("otlp/jaeger/A"),
        ComponentId.parse("otlp/jaeger/B"), ComponentId.parse("otlp/python/C"));
    ExporterConfig.OtlpGrpc a = (ExporterConfig.OtlpGrpc) c.exporters().get(ComponentId.parse("otlp/jaeger/A"));
    assertThat(a.endpoint()).isEqualTo(new HostPort("jaeger-collector.xxx.svc.cluster.local", 14250));
    assertThat(a.tls().insecure()).isTrue();
    assertThat(a.gzip()).isTrue();
    assertThat(a.queue()).isEqualTo(new ExporterConfig.Queue(true, 1000, 10));
    OtlpReceiverConfig otlp = c.receivers().get(ComponentId.parse("otlp"));
    assertThat(otlp.grpc().endpoint()).isEqualTo(new HostPort("0.0.0.0", 4317));
    assertThat(otlp.grpc().maxRecvMsgSizeMib()).isEqualTo(64);
    assertThat(otlp.http().cors().allowedOrigins()).containsExactly("http://*", "https://*");
    assertThat(otlp.http().maxRequestBodySize()).isEqualTo(20L << 20);
    ProcessorConfig.Batch batch = (ProcessorConfig.Batch) c.processors().get(ComponentId.parse("batch"));
    assertThat(batch.batching().sendBatchSize()).isEqualTo(10000);
    assertThat(batch.batching().timeout()).isEqualTo(Duration.ofSeconds(10));
    ProcessorConfig.MemoryLimiter limiter =
        (ProcessorConfig.MemoryLimiter) c.processors().get(ComponentId.parse("memory_limiter"));
    assertThat(limiter.limitBytes()).isEqualTo(HEAP / 100 * 75);
    assertThat(limiter.spikeLimitBytes()).isEqualTo(HEAP / 100 * 15);
    assertThat(c.warnings()).containsExactly(
        "config.yaml: exporters.otlp/jaeger/A.endpoint: port 14250 is Jaeger's legacy gRPC (model.proto) API, not "
            + "OTLP; OTLP backends (Jaeger included) take OTLP on 4317 (gRPC) and 4318 (HTTP)",
        "config.yaml: processors.memory_limiter: defined but not used by any pipeline (add it to service.pipelines or "
            + "remove it)");
  }

  @Test
  void namesFileKeyAndExampleWhenThePortIsMissing() {
    ConfigException e = failure("""
        receivers: {otlp: {protocols: {grpc: }}}
        exporters:
          otlp/jaeger:
            endpoint: jaeger-collector
        service: {pipelines: {traces: {receivers: [otlp], exporters: [otlp/jaeger]}}}
        """);

    assertThat(e.problems()).containsExactly(
        "config.yaml: exporters.otlp/jaeger.endpoint: missing port (expected host:port, e.g. jaeger-collector:4317)");
  }

  @Test
  void rejectsUnknownKeysAndTypesListingWhatIsAccepted() {
    ConfigException e = failure("""
        receivers:
          otlp: {protocols: {grpc: {endpoint: 0.0.0.0:4317}}}
          zipkin: {}
        exporters:
          otlp:
            endpoint: b:4317
            tls: {insecure: true, insecur: true}
        service: {pipelines: {traces: {receivers: [otlp], exporters: [otlp]}}}
        """);

    assertThat(e.problems()).containsExactly(
        "config.yaml: receivers.zipkin: unknown receiver type \"zipkin\" (supported: otlp)",
        "config.yaml: exporters.otlp.tls.insecur: unknown key (accepted: insecure, ca_file, cert_file, key_file)");
  }

  @Test
  void reportsEveryReferenceToAnUndefinedComponent() {
    ConfigException e = failure("""
        receivers: {otlp: {protocols: {http: }}}
        exporters: {debug: }
        service:
          extensions: [health_check]
          pipelines:
            traces: {receivers: [otlp], processors: [batch], exporters: [debug, otlp/missing]}
            profiles: {receivers: [otlp], exporters: [debug]}
        """);

    assertThat(e.problems()).containsExactly(
        "config.yaml: service.extensions: \"health_check\" is not defined under extensions (defined: none)",
        "config.yaml: service.pipelines.traces.processors: \"batch\" is not defined under processors (defined: none)",
        "config.yaml: service.pipelines.traces.exporters: \"otlp/missing\" is not defined under exporters (defined: "
            + "debug)",
        "config.yaml: service.pipelines.profiles: unknown pipeline type \"profiles\" (supported: traces, metrics, logs)");
  }

  @Test
  void rejectsDuplicateKeysWithTheirLine() {
    ConfigException e = failure("""
        exporters:
          debug: {}
          debug: {verbosity: detailed}
        """);

    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().get(0)).startsWith("config.yaml:3:").contains("duplicate key debug");
  }

  @Test
  void expandsEnvironmentReferencesInEveryForm() throws Exception {
    CollectorConfig c = reader.read("config.yaml", """
        receivers: {otlp: {protocols: {grpc: {endpoint: "${env:HOST:-0.0.0.0}:4317"}}}}
        exporters:
          otlp/a: {endpoint: "${env:BACKEND}", headers: {authorization: "Bearer $${TOKEN}", x-empty: "${EMPTY:-fallback}"}}
          otlp/b: {endpoint: "${BACKEND}"}
        service: {pipelines: {traces: {receivers: [otlp], exporters: [otlp/a, otlp/b]}}}
        """);

    assertThat(c.receivers().get(ComponentId.parse("otlp")).grpc().endpoint()).isEqualTo(new HostPort("0.0.0.0", 4317));
    ExporterConfig.OtlpGrpc a = (ExporterConfig.OtlpGrpc) c.exporters().get(ComponentId.parse("otlp/a"));
    assertThat(a.endpoint()).isEqualTo(new HostPort("jaeger", 4317));
    assertThat(a.headers()).containsExactly(Map.entry("authorization", "Bearer ${TOKEN}"),
        Map.entry("x-empty", "fallback"));
    assertThat(((ExporterConfig.OtlpGrpc) c.exporters().get(ComponentId.parse("otlp/b"))).endpoint())
        .isEqualTo(new HostPort("jaeger", 4317));
  }

  @Test
  void rejectsOtherConfigProviders() {
    ConfigException e = failure("""
        receivers: {otlp: {protocols: {grpc: }}}
        exporters: {otlp: {endpoint: "${file:/etc/backend}"}}
        service: {pipelines: {traces: {receivers: [otlp], exporters: [otlp]}}}
        """);

    assertThat(e.problems()).contains("config.yaml: exporters.otlp.endpoint: unsupported config provider \"file\" in "
        + "${file:/etc/backend} (supported: env, as ${env:VAR} or ${env:VAR:-default})");
  }

  @Test
  void bindsHttpExporterUrlsPerSignal() throws Exception {
    CollectorConfig c = reader.read("config.yaml", """
        receivers: {otlp: {protocols: {http: }}}
        exporters:
          otlphttp:
            endpoint: https://backend.example:4318/
            logs_endpoint: http://logs.example:9000/ingest
            encoding: json
            compression: none
            sending_queue: {queue_size: 50, num_consumers: 2}
            retry_on_failure: {enabled: false}
        service: {pipelines: {traces: {receivers: [otlp], exporters: [otlphttp]}}}
        """);

    ExporterConfig.OtlpHttp h = (ExporterConfig.OtlpHttp) c.exporters().get(ComponentId.parse("otlphttp"));
    assertThat(h.urls()).containsEntry(Signal.TRACES, URI.create("https://backend.example:4318/v1/traces"))
        .containsEntry(Signal.METRICS, URI.create("https://backend.example:4318/v1/metrics"))
        .containsEntry(Signal.LOGS, URI.create("http://logs.example:9000/ingest"));
    assertThat(h.json()).isTrue();
    assertThat(h.gzip()).isFalse();
    assertThat(h.queue()).isEqualTo(new ExporterConfig.Queue(true, 50, 2));
    assertThat(h.retry().enabled()).isFalse();
    assertThat(h.timeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void checksMemoryLimiterAndBatchSettings() {
    ConfigException e = failure("""
        receivers: {otlp: {protocols: {http: }}}
        processors:
          memory_limiter: {limit_mib: 100, spike_limit_mib: 200}
          batch: {send_batch_size: 100, send_batch_max_size: 10, timeout: 5 seconds}
        exporters: {debug: {verbosity: loud}}
        service: {pipelines: {traces: {receivers: [otlp], processors: [memory_limiter, batch], exporters: [debug]}}}
        """);

    assertThat(e.problems()).containsExactly(
        "config.yaml: processors.memory_limiter.check_interval: required and must be above 0 (e.g. 1s)",
        "config.yaml: processors.memory_limiter: the spike limit must be below the limit (spike_limit_mib < limit_mib, "
            + "or spike_limit_percentage < limit_percentage)",
        "config.yaml: processors.batch.timeout: \"5 seconds\" is not a duration (expected e.g. 200ms, 5s, 1m30s)",
        "config.yaml: processors.batch.send_batch_max_size: 10 is below send_batch_size 100 (expected 0 for no limit, "
            + "or at least send_batch_size)",
        "config.yaml: exporters.debug.verbosity: \"loud\" is not supported (expected one of basic, normal, detailed)");
  }

  @Test
  void warnsAboutLocalhostReceiversInAContainerAndUnusedExporters() throws Exception {
    ConfigReader inContainer = ConfigReader.create(Map.of(), true, HEAP);

    CollectorConfig c = inContainer.read("config.yaml", """
        receivers: {otlp: {protocols: {grpc: {endpoint: "localhost:4317"}}}}
        exporters:
          debug:
          otlphttp/zipkin: {endpoint: "http://zipkin:9411"}
        service: {pipelines: {traces: {receivers: [otlp], exporters: [debug]}}}
        """);

    assertThat(c.warnings()).containsExactly(
        "config.yaml: receivers.otlp.protocols.grpc.endpoint: localhost:4317 is reachable only from inside this "
            + "container; use 0.0.0.0:4317 (or ${env:MY_POD_IP}:4317) so that other pods can send to it",
        "config.yaml: exporters.otlphttp/zipkin.endpoint: port 9411 is the Zipkin API, not OTLP; OTLP backends "
            + "(Jaeger included) take OTLP on 4317 (gRPC) and 4318 (HTTP)",
        "config.yaml: exporters.otlphttp/zipkin: defined but not used by any pipeline (add it to service.pipelines or "
            + "remove it)");
  }

  @Test
  void parsesGoDurations() {
    assertThat(GoDuration.parse("200ms")).isEqualTo(Duration.ofMillis(200));
    assertThat(GoDuration.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(GoDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("0")).isEqualTo(Duration.ZERO);
    assertThat(GoDuration.parse("10")).isNull();
    assertThat(GoDuration.parse("5 s")).isNull();
  }

  @Test
  void bindsFileStorageAndAQueueThatNamesIt() throws Exception {
    CollectorConfig c = reader.read("config.yaml", """
        receivers: {otlp: {protocols: {http: }}}
        exporters:
          otlp: {endpoint: "b:4317", sending_queue: {storage: file_storage/queues, queue_size: 5000}}
        extensions:
          file_storage/queues:
            directory: /var/lib/otelcol/queues
            timeout: 2s
            fsync: true
            create_directory: true
            compaction: {on_start: true, directory: /tmp}
        service:
          extensions: [file_storage/queues]
          pipelines: {traces: {receivers: [otlp], exporters: [otlp]}}
        """);

    assertThat(c.exporters().get(ComponentId.parse("otlp")).queue())
        .isEqualTo(new ExporterConfig.Queue(true, 5000, 10, ComponentId.parse("file_storage/queues")));
    assertThat(c.extensions().get(ComponentId.parse("file_storage/queues"))).isEqualTo(new FileStorageConfig(
        ComponentId.parse("file_storage/queues"), java.nio.file.Path.of("/var/lib/otelcol/queues"),
        Duration.ofSeconds(2), true, true, "0750"));
    assertThat(c.warnings()).containsExactly("config.yaml: extensions.file_storage/queues.compaction: has no effect: "
        + "collector-lite deletes each queue segment once all its records are delivered, so there is nothing to compact");
  }

  @Test
  void rejectsAStorageThatIsUndefinedNotEnabledOrNotFileStorage() {
    ConfigException e = failure("""
        receivers: {otlp: {protocols: {http: }}}
        exporters:
          otlp/a: {endpoint: "b:4317", sending_queue: {storage: file_storage}}
          otlp/b: {endpoint: "b:4317", sending_queue: {storage: file_storage/other}}
          otlp/c: {endpoint: "b:4317", sending_queue: {storage: health_check}}
        extensions:
          file_storage: {directory: /q, fsnyc: true}
          health_check: {}
        service:
          extensions: [health_check]
          pipelines: {traces: {receivers: [otlp], exporters: [otlp/a, otlp/b, otlp/c]}}
        """);

    assertThat(e.problems()).containsExactly(
        "config.yaml: extensions.file_storage.fsnyc: unknown key (accepted: directory, timeout, fsync, create_directory, "
            + "directory_permissions, compaction)",
        "config.yaml: exporters.otlp/a.sending_queue.storage: extension file_storage is not enabled (add it to "
            + "service.extensions)",
        "config.yaml: exporters.otlp/b.sending_queue.storage: \"file_storage/other\" is not a file_storage extension "
            + "defined under extensions (defined: file_storage)",
        "config.yaml: exporters.otlp/c.sending_queue.storage: \"health_check\" is not a file_storage extension "
            + "defined under extensions (defined: file_storage)");
  }

  private ConfigException failure(String yaml) {
    return catchThrowableOfType(ConfigException.class, () -> reader.read("config.yaml", yaml));
  }

  private static String fixture(String name) throws Exception {
    try (InputStream in = ConfigReaderTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

}
