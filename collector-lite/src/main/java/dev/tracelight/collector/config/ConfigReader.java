package dev.tracelight.collector.config;

import dev.tracelight.collector.pipeline.Batching;
import dev.tracelight.collector.pipeline.RetryPolicy;
import dev.tracelight.collector.pipeline.Signal;
import dev.tracelight.collector.telemetry.Log;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the OpenTelemetry Collector's YAML into a {@link CollectorConfig}: same shape, key names and defaults for the
 * components collector-lite has. Every problem names the file and key path and says what is accepted; all problems of a
 * file are reported together. Mistakes that still run (a Jaeger legacy port, an unused exporter, a receiver on
 * localhost in a container) become warnings.
 */
public final class ConfigReader {
  static final long MIB = 1 << 20;
  private static final List<String> RECEIVER_TYPES = List.of("otlp");
  private static final List<String> PROCESSOR_TYPES = List.of("memory_limiter", "batch");
  private static final List<String> EXPORTER_TYPES = List.of("otlp", "otlp_grpc", "otlphttp", "otlp_http", "debug",
      "traceview");
  private static final List<String> EXTENSION_TYPES = List.of("health_check", "file_storage");
  /** Ports that people point OTLP exporters at by mistake, and what listens there instead. */
  private static final Map<Integer, String> NOT_OTLP_PORTS = Map.of(
      14250, "Jaeger's legacy gRPC (model.proto) API",
      14268, "Jaeger's Thrift-over-HTTP API",
      9411, "the Zipkin API",
      6831, "Jaeger's agent (Thrift compact, UDP)");

  private final Map<String, String> env;
  private final boolean inContainer;
  private final long maxHeapBytes;

  private ConfigReader(Map<String, String> env, boolean inContainer, long maxHeapBytes) {
    this.env = env;
    this.inContainer = inContainer;
    this.maxHeapBytes = maxHeapBytes;
  }

  /**
   * @param env the environment for {@code ${env:VAR}}
   * @param inContainer whether to warn about receivers bound to localhost
   * @param maxHeapBytes what memory_limiter percentages are of
   */
  public static ConfigReader create(Map<String, String> env, boolean inContainer, long maxHeapBytes) {
    return new ConfigReader(env, inContainer, maxHeapBytes);
  }

  public CollectorConfig read(Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(List.of(file + ": cannot read the config file: " + e.getMessage()));
    }
    return read(file.toString(), text);
  }

  /** @param file the name errors should carry */
  public CollectorConfig read(String file, String yamlText) throws ConfigException {
    Problems problems = new Problems(file);
    Object root = parseYaml(file, yamlText);
    root = expand(root, "", new EnvExpansion(env), problems);
    ConfigNode top = ConfigNode.of("", root, problems);
    if (root == null) {
      throw new ConfigException(List.of(file + ": the config is empty (expected receivers, exporters and service)"));
    }
    Map<ComponentId, OtlpReceiverConfig> receivers = components(top.child("receivers"), RECEIVER_TYPES, this::receiver);
    Map<ComponentId, ProcessorConfig> processors = components(top.child("processors"), PROCESSOR_TYPES, this::processor);
    Map<ComponentId, ExporterConfig> exporters = components(top.child("exporters"), EXPORTER_TYPES, this::exporter);
    Map<ComponentId, ExtensionConfig> extensions = components(top.child("extensions"), EXTENSION_TYPES, this::extension);
    if (top.has("connectors")) {
      problems.error("connectors", "connectors are not supported by collector-lite (use one pipeline per signal)");
    }
    ServiceConfig service = service(top.child("service"), receivers, processors, exporters, extensions);
    top.rejectUnknown();
    checkStorage(problems, exporters, extensions, service);
    warnUnused(problems, "receivers", receivers.keySet(), service, ServiceConfig.Pipeline::receivers);
    warnUnused(problems, "processors", processors.keySet(), service, ServiceConfig.Pipeline::processors);
    warnUnused(problems, "exporters", exporters.keySet(), service, ServiceConfig.Pipeline::exporters);
    if (!problems.errors().isEmpty()) {
      throw new ConfigException(problems.errors());
    }
    return new CollectorConfig(file, receivers, processors, exporters, extensions, service,
        List.copyOf(problems.warnings()));
  }

  private static Object parseYaml(String file, String text) throws ConfigException {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    try {
      return new Yaml(new SafeConstructor(options)).load(text);
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark();
      String where = m == null ? "" : ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
      throw new ConfigException(List.of(file + where + ": invalid YAML: " + e.getProblem()
          + (e.getContext() == null ? "" : " (" + e.getContext() + ")")));
    } catch (YAMLException e) {
      throw new ConfigException(List.of(file + ": invalid YAML: " + e.getMessage()));
    }
  }

  /** Expands ${...} in every string value, as the collector does before it binds anything. */
  private static Object expand(Object value, String path, EnvExpansion expansion, Problems problems) {
    if (value instanceof String s) {
      return expansion.expand(s, path, problems);
    }
    if (value instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(k, expand(v, path.isEmpty() ? String.valueOf(k) : path + "." + k, expansion, problems)));
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < l.size(); i++) {
        out.add(expand(l.get(i), path + "[" + i + "]", expansion, problems));
      }
      return out;
    }
    return value;
  }

  private static <T> Map<ComponentId, T> components(ConfigNode section, List<String> types,
      BiFunction<ComponentId, ConfigNode, T> binder) {
    Map<ComponentId, T> out = new LinkedHashMap<>();
    for (String key : section.keys()) {
      ComponentId id = ComponentId.parse(key);
      ConfigNode node = section.child(key);
      if (!types.contains(id.type())) {
        section.problems().error(node.path(), "unknown " + section.path().replaceAll("s$", "") + " type \"" + id.type()
            + "\" (supported: " + String.join(", ", types) + ")");
        continue;
      }
      T bound = binder.apply(id, node);
      node.rejectUnknown();
      if (bound != null) {
        out.put(id, bound);
      }
    }
    return out;
  }

  // ---- receivers

  private OtlpReceiverConfig receiver(ComponentId id, ConfigNode node) {
    ConfigNode protocols = node.child("protocols");
    OtlpReceiverConfig.Grpc grpc = null;
    OtlpReceiverConfig.Http http = null;
    if (protocols.has("grpc")) {
      ConfigNode g = protocols.child("grpc");
      HostPort endpoint = listenEndpoint(g, "localhost:4317");
      int max = (int) g.number("max_recv_msg_size_mib", 64, 1, 2047);
      g.rejectUnknown();
      grpc = new OtlpReceiverConfig.Grpc(endpoint, max);
    }
    if (protocols.has("http")) {
      ConfigNode h = protocols.child("http");
      HostPort endpoint = listenEndpoint(h, "localhost:4318");
      long max = h.number("max_request_body_size", 20 * MIB, 1, Integer.MAX_VALUE - 8);
      ConfigNode c = h.child("cors");
      OtlpReceiverConfig.Cors cors = new OtlpReceiverConfig.Cors(
          c.strings("allowed_origins"), c.strings("allowed_headers"), (int) c.number("max_age", 0, 0, Integer.MAX_VALUE));
      c.rejectUnknown();
      Map<Signal, String> paths = new EnumMap<>(Signal.class);
      for (Signal s : Signal.values()) {
        String p = h.string(s.id() + "_url_path", s.httpPath());
        paths.put(s, p.startsWith("/") ? p : "/" + p);
      }
      h.rejectUnknown();
      http = new OtlpReceiverConfig.Http(endpoint, max, cors, paths);
    }
    protocols.rejectUnknown();
    if (grpc == null && http == null) {
      node.problems().error(protocols.path(), "no protocol enabled (expected grpc:, http: or both)");
    }
    return new OtlpReceiverConfig(id, grpc, http);
  }

  private HostPort listenEndpoint(ConfigNode node, String fallback) {
    String text = node.string("endpoint", fallback);
    HostPort hp = HostPort.parse(text);
    if (hp == null) {
      node.problems().error(node.path("endpoint"), "\"" + text + "\" is not host:port (expected e.g. 0.0.0.0:"
          + HostPort.parse(fallback).port() + ")");
      return HostPort.parse(fallback);
    }
    if (inContainer && hp.isLoopback()) {
      node.problems().warn(node.path("endpoint"), hp + " is reachable only from inside this container; use 0.0.0.0:"
          + hp.port() + " (or ${env:MY_POD_IP}:" + hp.port() + ") so that other pods can send to it");
    }
    return hp;
  }

  // ---- processors

  private ProcessorConfig processor(ComponentId id, ConfigNode node) {
    if (id.type().equals("batch")) {
      int size = (int) node.number("send_batch_size", 8192, 1, Integer.MAX_VALUE);
      int max = (int) node.number("send_batch_max_size", 0, 0, Integer.MAX_VALUE);
      Duration timeout = node.duration("timeout", Duration.ofMillis(200));
      if (max > 0 && max < size) {
        node.problems().error(node.path("send_batch_max_size"), max + " is below send_batch_size " + size
            + " (expected 0 for no limit, or at least send_batch_size)");
      }
      return new ProcessorConfig.Batch(id, new Batching(size, max, timeout));
    }
    Duration interval = node.duration("check_interval", Duration.ZERO);
    if (interval.isZero() || interval.isNegative()) {
      node.problems().error(node.path("check_interval"), "required and must be above 0 (e.g. 1s)");
    }
    long limitMib = node.number("limit_mib", 0, 0, Long.MAX_VALUE >> 20);
    long spikeMib = node.number("spike_limit_mib", 0, 0, Long.MAX_VALUE >> 20);
    long limitPct = node.number("limit_percentage", 0, 0, 100);
    long spikePct = node.number("spike_limit_percentage", 0, 0, 100);
    long limit;
    long spike;
    if (limitMib > 0) {
      limit = limitMib * MIB;
      spike = node.has("spike_limit_mib") ? spikeMib * MIB : limit / 5;
    } else if (limitPct > 0) {
      limit = maxHeapBytes / 100 * limitPct;
      spike = node.has("spike_limit_percentage") ? maxHeapBytes / 100 * spikePct : limit / 5;
    } else {
      node.problems().error(node.path(), "one of limit_mib or limit_percentage is required (e.g. limit_percentage: 80)");
      return null;
    }
    if (spike >= limit) {
      node.problems().error(node.path(), "the spike limit must be below the limit (spike_limit_mib < limit_mib, or "
          + "spike_limit_percentage < limit_percentage)");
    }
    return new ProcessorConfig.MemoryLimiter(id, interval, limit, spike);
  }

  // ---- exporters

  private ExporterConfig exporter(ComponentId id, ConfigNode node) {
    switch (id.type()) {
      case "debug" -> {
        String verbosity = node.oneOf("verbosity", "basic", List.of("basic", "normal", "detailed"));
        return new ExporterConfig.Debug(id, verbosity, new ExporterConfig.Queue(true, 1000, 1), RetryPolicy.defaults());
      }
      case "traceview" -> {
        HostPort endpoint = listenEndpoint(node, "0.0.0.0:16686");
        int maxTraces = (int) node.number("max_traces", 10_000, 1, 10_000_000);
        int maxSpans = (int) node.number("max_spans", 50_000, 1, 100_000_000);
        Duration ttl = node.duration("ttl", Duration.ofHours(1));
        return new ExporterConfig.TraceView(id, endpoint, maxTraces, maxSpans, ttl,
            new ExporterConfig.Queue(true, 1000, 1), RetryPolicy.defaults());
      }
      case "otlp", "otlp_grpc" -> {
        String text = node.string("endpoint", null);
        HostPort endpoint = null;
        boolean plaintextScheme = false;
        if (text == null || text.isBlank()) {
          node.problems().error(node.path("endpoint"), "required (expected host:port, e.g. jaeger-collector:4317)");
        } else {
          plaintextScheme = text.startsWith("http://");
          String bare = text.replaceFirst("^https?://", "").replaceFirst("/$", "");
          endpoint = HostPort.parse(bare);
          if (endpoint == null || endpoint.host().isEmpty()) {
            node.problems().error(node.path("endpoint"), bare.contains(":") ? "\"" + text + "\" is not host:port"
                : "missing port (expected host:port, e.g. jaeger-collector:4317)");
          } else {
            warnPort(node, endpoint.port(), 4318, "the OTLP/HTTP port; use exporter otlphttp for it, or port 4317");
          }
        }
        ExporterConfig.Tls tls = tls(node, plaintextScheme);
        Map<String, String> headers = node.stringMap("headers");
        boolean gzip = compression(node);
        Duration timeout = node.duration("timeout", Duration.ofSeconds(5));
        return new ExporterConfig.OtlpGrpc(id, endpoint, tls, headers, gzip, timeout, queue(node), retry(node));
      }
      default -> {
        Map<Signal, URI> urls = new EnumMap<>(Signal.class);
        String base = node.string("endpoint", null);
        for (Signal s : Signal.values()) {
          String own = node.string(s.id() + "_endpoint", null);
          String text = own != null ? own : base == null ? null : base.replaceFirst("/$", "") + s.httpPath();
          if (text != null) {
            URI uri = httpUrl(node, own != null ? s.id() + "_endpoint" : "endpoint", text);
            if (uri != null) {
              urls.put(s, uri);
            }
          }
        }
        if (base == null && urls.isEmpty()) {
          node.problems().error(node.path("endpoint"), "required (expected a base URL, e.g. http://backend:4318, or "
              + "traces_endpoint / metrics_endpoint / logs_endpoint)");
        }
        ExporterConfig.Tls tls = tls(node, false);
        if (tls.certFile() != null) {
          node.problems().error(node.path("tls.cert_file"), "client certificates are not supported by otlphttp yet "
              + "(supported: ca_file; or use exporter otlp, which has them)");
        }
        Map<String, String> headers = node.stringMap("headers");
        boolean gzip = compression(node);
        boolean json = "json".equals(node.oneOf("encoding", "proto", List.of("proto", "json")));
        Duration timeout = node.duration("timeout", Duration.ofSeconds(30));
        return new ExporterConfig.OtlpHttp(id, urls, tls, headers, gzip, json, timeout, queue(node), retry(node));
      }
    }
  }

  private static URI httpUrl(ConfigNode node, String key, String text) {
    try {
      URI uri = new URI(text);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        node.problems().error(node.path(key), "\"" + text + "\" is not an http(s) URL (expected e.g. http://backend:4318)");
        return null;
      }
      warnPort(node, uri.getPort(), 4317, "the OTLP/gRPC port; use exporter otlp for it, or port 4318");
      return uri;
    } catch (URISyntaxException e) {
      node.problems().error(node.path(key), "\"" + text + "\" is not a URL: " + e.getReason());
      return null;
    }
  }

  private static void warnPort(ConfigNode node, int port, int otherOtlpPort, String otherMeaning) {
    String what = NOT_OTLP_PORTS.get(port);
    if (what != null) {
      node.problems().warn(node.path("endpoint"), "port " + port + " is " + what + ", not OTLP; OTLP backends (Jaeger "
          + "included) take OTLP on 4317 (gRPC) and 4318 (HTTP)");
    } else if (port == otherOtlpPort) {
      node.problems().warn(node.path("endpoint"), "port " + port + " is usually " + otherMeaning);
    }
  }

  private static ExporterConfig.Tls tls(ConfigNode node, boolean plaintextScheme) {
    ConfigNode t = node.child("tls");
    ExporterConfig.Tls tls = new ExporterConfig.Tls(t.bool("insecure", plaintextScheme), t.string("ca_file", null),
        t.string("cert_file", null), t.string("key_file", null));
    if ((tls.certFile() == null) != (tls.keyFile() == null)) {
      node.problems().error(t.path(), "cert_file and key_file go together (client certificate and its key)");
    }
    t.rejectUnknown();
    return tls;
  }

  private static boolean compression(ConfigNode node) {
    return "gzip".equals(node.oneOf("compression", "gzip", List.of("gzip", "none", "")));
  }

  private static ExporterConfig.Queue queue(ConfigNode node) {
    ConfigNode q = node.child("sending_queue");
    boolean enabled = q.bool("enabled", true);
    int size = (int) q.number("queue_size", 1000, 1, 10_000_000);
    int consumers = (int) q.number("num_consumers", 10, 1, 1000);
    String storage = q.string("storage", null);
    q.rejectUnknown();
    return new ExporterConfig.Queue(enabled, size, consumers,
        storage == null || storage.isEmpty() ? null : ComponentId.parse(storage));
  }

  private static RetryPolicy retry(ConfigNode node) {
    ConfigNode r = node.child("retry_on_failure");
    RetryPolicy d = RetryPolicy.defaults();
    RetryPolicy policy = new RetryPolicy(
        r.bool("enabled", d.enabled()),
        r.duration("initial_interval", d.initialInterval()),
        r.duration("max_interval", d.maxInterval()),
        r.duration("max_elapsed_time", d.maxElapsedTime()),
        r.decimal("multiplier", d.multiplier()),
        r.decimal("randomization_factor", d.randomizationFactor()));
    if (policy.multiplier() < 1) {
      r.problems().error(r.path("multiplier"), policy.multiplier() + " is below 1 (expected e.g. 1.5)");
    }
    if (policy.randomizationFactor() < 0 || policy.randomizationFactor() > 1) {
      r.problems().error(r.path("randomization_factor"), "expected 0 to 1");
    }
    r.rejectUnknown();
    return policy;
  }

  // ---- extensions

  private ExtensionConfig extension(ComponentId id, ConfigNode node) {
    return id.type().equals("file_storage") ? fileStorage(id, node) : healthCheck(id, node);
  }

  /** The collector's keys; compaction is accepted and has nothing to do (see FileQueue: drained segments are deleted). */
  private static FileStorageConfig fileStorage(ComponentId id, ConfigNode node) {
    String directory = node.string("directory", "/var/lib/otelcol/file_storage");
    Duration timeout = node.duration("timeout", Duration.ofSeconds(1));
    boolean fsync = node.bool("fsync", false);
    boolean create = node.bool("create_directory", false);
    String permissions = node.string("directory_permissions", "0750");
    if (!permissions.matches("0?[0-7]{3}")) {
      node.problems().error(node.path("directory_permissions"), "\"" + permissions
          + "\" is not an octal mode (expected e.g. 0750)");
      permissions = "0750";
    }
    if (node.has("compaction")) {
      ConfigNode c = node.child("compaction");
      for (String k : List.of("on_start", "on_rebound", "directory", "max_transaction_size",
          "rebound_needed_threshold_mib", "rebound_trigger_threshold_mib", "check_interval", "cleanup_on_start")) {
        c.raw(k);
      }
      c.rejectUnknown();
      node.problems().warn(c.path(), "has no effect: collector-lite deletes each queue segment once all its records "
          + "are delivered, so there is nothing to compact");
    }
    if (directory.isBlank()) {
      node.problems().error(node.path("directory"), "must not be empty (expected e.g. /var/lib/otelcol/file_storage)");
    }
    return new FileStorageConfig(id, Path.of(directory), timeout, fsync, create,
        permissions.length() == 3 ? "0" + permissions : permissions);
  }

  /** A sending_queue.storage must name a file_storage extension that the service enables, as in the collector. */
  private static void checkStorage(Problems problems, Map<ComponentId, ExporterConfig> exporters,
      Map<ComponentId, ExtensionConfig> extensions, ServiceConfig service) {
    exporters.forEach((id, e) -> {
      ComponentId storage = e.queue().storage();
      if (storage == null) {
        return;
      }
      String where = "exporters." + id + ".sending_queue.storage";
      ExtensionConfig ext = extensions.get(storage);
      if (!(ext instanceof FileStorageConfig)) {
        List<String> defined = extensions.values().stream().filter(x -> x instanceof FileStorageConfig)
            .map(x -> x.id().toString()).toList();
        problems.error(where, "\"" + storage + "\" is not a file_storage extension defined under extensions (defined: "
            + (defined.isEmpty() ? "none; add e.g. extensions: {file_storage: {directory: /var/lib/otelcol/queue}}"
                : String.join(", ", defined)) + ")");
      } else if (!service.extensions().contains(storage)) {
        problems.error(where, "extension " + storage + " is not enabled (add it to service.extensions)");
      }
    });
  }

  private HealthCheckConfig healthCheck(ComponentId id, ConfigNode node) {
    HostPort endpoint = listenEndpoint(node, "0.0.0.0:13133");
    String path = node.string("path", "/");
    return new HealthCheckConfig(id, endpoint, path.startsWith("/") ? path : "/" + path);
  }

  // ---- service

  private ServiceConfig service(ConfigNode node, Map<ComponentId, ?> receivers, Map<ComponentId, ?> processors,
      Map<ComponentId, ?> exporters, Map<ComponentId, ?> extensions) {
    Problems problems = node.problems();
    List<ComponentId> ext = references(node, "extensions", "extensions", extensions);
    ConfigNode pipelinesNode = node.child("pipelines");
    List<ServiceConfig.Pipeline> pipelines = new ArrayList<>();
    for (String key : pipelinesNode.keys()) {
      ComponentId pid = ComponentId.parse(key);
      ConfigNode p = pipelinesNode.child(key);
      Signal signal = Signal.fromId(pid.type());
      if (signal == null) {
        problems.error(p.path(), "unknown pipeline type \"" + pid.type() + "\" (supported: traces, metrics, logs)");
        continue;
      }
      List<ComponentId> recv = references(p, "receivers", "receivers", receivers);
      List<ComponentId> proc = references(p, "processors", "processors", processors);
      List<ComponentId> exp = references(p, "exporters", "exporters", exporters);
      p.rejectUnknown();
      if (recv.isEmpty()) {
        problems.error(p.path("receivers"), "at least one receiver is required (e.g. [otlp])");
      }
      if (exp.isEmpty()) {
        problems.error(p.path("exporters"), "at least one exporter is required (e.g. [debug])");
      }
      long batches = proc.stream().filter(c -> c.type().equals("batch")).count();
      if (batches > 1) {
        problems.error(p.path("processors"), "at most one batch processor per pipeline");
      }
      for (int i = 1; i < proc.size(); i++) {
        if (proc.get(i).type().equals("memory_limiter")) {
          problems.warn(p.path("processors"), proc.get(i) + " should come first; collector-lite applies it before "
              + "anything else in any case");
        }
      }
      pipelines.add(new ServiceConfig.Pipeline(key, signal, recv, proc, exp));
    }
    if (pipelines.isEmpty() && problems.errors().isEmpty()) {
      problems.error(pipelinesNode.path(), "no pipelines (expected e.g. traces: {receivers: [otlp], exporters: [debug]})");
    }
    ConfigNode telemetry = node.child("telemetry");
    ConfigNode metrics = telemetry.child("metrics");
    String level = metrics.oneOf("level", "normal", List.of("none", "basic", "normal", "detailed"));
    String addressText = metrics.string("address", "0.0.0.0:8888");
    HostPort address = HostPort.parse(addressText);
    if (address == null) {
      problems.error(metrics.path("address"), "\"" + addressText + "\" is not host:port (expected e.g. 0.0.0.0:8888)");
    }
    metrics.rejectUnknown();
    ConfigNode logs = telemetry.child("logs");
    String logLevel = logs.oneOf("level", "info", List.of("debug", "info", "warn", "error", "DEBUG", "INFO", "WARN",
        "ERROR"));
    logs.rejectUnknown();
    telemetry.rejectUnknown();
    node.rejectUnknown();
    return new ServiceConfig(ext, pipelines, "none".equals(level) ? null : address,
        Log.Level.valueOf(logLevel.toUpperCase(Locale.ROOT)));
  }

  private static List<ComponentId> references(ConfigNode node, String key, String section, Map<ComponentId, ?> defined) {
    List<ComponentId> out = new ArrayList<>();
    for (String ref : node.strings(key)) {
      ComponentId id = ComponentId.parse(ref);
      if (!defined.containsKey(id)) {
        List<String> names = defined.keySet().stream().map(ComponentId::toString).toList();
        node.problems().error(node.path(key), "\"" + ref + "\" is not defined under " + section + " (defined: "
            + (names.isEmpty() ? "none" : String.join(", ", names)) + ")");
      } else if (out.contains(id)) {
        node.problems().error(node.path(key), "\"" + ref + "\" is listed twice");
      } else {
        out.add(id);
      }
    }
    return out;
  }

  private static void warnUnused(Problems problems, String section, Iterable<ComponentId> defined, ServiceConfig service,
      java.util.function.Function<ServiceConfig.Pipeline, List<ComponentId>> used) {
    for (ComponentId id : defined) {
      boolean inUse = service.pipelines().stream().anyMatch(p -> used.apply(p).contains(id));
      if (!inUse) {
        problems.warn(section + "." + id, "defined but not used by any pipeline (add it to service.pipelines or remove it)");
      }
    }
  }
}
