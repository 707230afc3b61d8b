package dev.tracelight.collector;

import dev.tracelight.collector.config.CollectorConfig;
import dev.tracelight.collector.config.ComponentId;
import dev.tracelight.collector.config.ExporterConfig;
import dev.tracelight.collector.config.FileStorageConfig;
import dev.tracelight.collector.config.HealthCheckConfig;
import dev.tracelight.collector.config.HostPort;
import dev.tracelight.collector.config.OtlpReceiverConfig;
import dev.tracelight.collector.config.ProcessorConfig;
import dev.tracelight.collector.config.ServiceConfig;
import dev.tracelight.collector.exporter.DebugExporter;
import dev.tracelight.collector.exporter.Exporter;
import dev.tracelight.collector.exporter.OtlpGrpcExporter;
import dev.tracelight.collector.exporter.OtlpHttpExporter;
import dev.tracelight.collector.extension.FileStorage;
import dev.tracelight.collector.extension.HealthCheck;
import dev.tracelight.collector.pipeline.Admission;
import dev.tracelight.collector.pipeline.AdmittedBytes;
import dev.tracelight.collector.pipeline.Batching;
import dev.tracelight.collector.pipeline.Intake;
import dev.tracelight.collector.pipeline.MemoryLimiter;
import dev.tracelight.collector.pipeline.Pipeline;
import dev.tracelight.collector.pipeline.QueueSender;
import dev.tracelight.collector.pipeline.Signal;
import dev.tracelight.collector.queue.FileQueue;
import dev.tracelight.collector.queue.MemoryQueue;
import dev.tracelight.collector.queue.SendingQueue;
import dev.tracelight.collector.receiver.OtlpGrpcReceiver;
import dev.tracelight.collector.receiver.OtlpHttpReceiver;
import dev.tracelight.collector.telemetry.Log;
import dev.tracelight.collector.telemetry.MetricsServer;
import dev.tracelight.collector.telemetry.Telemetry;
import dev.tracelight.collector.traceview.TraceStore;
import dev.tracelight.collector.traceview.TraceViewExporter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running collector built from a config: exporters and their queues first, then pipelines, then receivers, then
 * health. {@link #shutdown} goes the other way: stop receiving, drain the queues for a bounded time, report what is left.
 */
public final class Collector implements AutoCloseable {
  private final Telemetry telemetry = Telemetry.create();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "memory-limiter");
    t.setDaemon(true);
    return t;
  });
  private final Map<ComponentId, Exporter> exporters = new LinkedHashMap<>();
  private final List<QueueSender> senders = new ArrayList<>();
  private final List<Intake> intakes = new ArrayList<>();
  private final Map<String, OtlpGrpcReceiver> grpcReceivers = new LinkedHashMap<>();
  private final Map<String, OtlpHttpReceiver> httpReceivers = new LinkedHashMap<>();
  private final List<HealthCheck> healthChecks = new ArrayList<>();
  private final Map<ComponentId, FileStorage> storages = new LinkedHashMap<>();
  private MetricsServer metricsServer;
  private AdmittedBytes admitted;
  private boolean stopped;

  private Collector() {}

  public static Collector start(CollectorConfig config) throws IOException {
    Collector c = new Collector();
    try {
      c.build(config);
    } catch (IOException | RuntimeException e) {
      c.shutdown(Duration.ZERO);
      throw e;
    }
    return c;
  }

  public Telemetry telemetry() {
    return telemetry;
  }

  public InetSocketAddress grpcAddress(String receiverId) {
    return grpcReceivers.get(receiverId).address();
  }

  public InetSocketAddress httpAddress(String receiverId) {
    return httpReceivers.get(receiverId).address();
  }

  public InetSocketAddress healthCheckAddress() {
    return healthChecks.get(0).address();
  }

  public InetSocketAddress metricsAddress() {
    return metricsServer.address();
  }

  /**
   * Stops receiving (clients get 503 / UNAVAILABLE), sends what is queued without waiting for batch timeouts until the
   * deadline, then stops. Returns the requests left undelivered (and logs them per exporter).
   */
  public synchronized long shutdown(Duration drain) {
    if (stopped) {
      return 0;
    }
    stopped = true;
    healthChecks.forEach(h -> h.setReady(false));
    intakes.forEach(Intake::close);
    grpcReceivers.values().forEach(OtlpGrpcReceiver::close);
    httpReceivers.values().forEach(OtlpHttpReceiver::close);
    long deadline = System.nanoTime() + drain.toNanos();
    long left = 0;
    for (QueueSender s : senders) {
      try {
        s.drain(deadline);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (QueueSender s : senders) {
      int requests = s.queue().size();
      long items = s.queue().items();
      if (requests > 0) {
        Log.warn("shutdown: exporter " + s.exporterId() + " leaves " + requests + " requests (" + items
            + " items) undelivered after draining for " + drain.toMillis() + " ms"
            + (s.queue() instanceof FileQueue ? "; they stay on disk and are sent after the next start" : ""));
      }
      left += requests;
      s.stop();
    }
    exporters.values().forEach(Exporter::close);
    storages.values().forEach(FileStorage::close);
    ticker.shutdownNow();
    healthChecks.forEach(HealthCheck::close);
    if (metricsServer != null) {
      metricsServer.close();
    }
    Log.info("shutdown complete" + (left == 0 ? ": every queue drained" : ""));
    return left;
  }

  @Override
  public void close() {
    shutdown(Duration.ofSeconds(5));
  }

  private void build(CollectorConfig config) throws IOException {
    ServiceConfig service = config.service();
    Log.setLevel(service.logLevel());
    for (ComponentId id : service.extensions()) {
      if (config.extensions().get(id) instanceof FileStorageConfig fs) {
        storages.put(id, FileStorage.open(fs));
        Log.info("extension " + id + ": persistent queues in " + fs.directory() + (fs.fsync() ? " (fsync on)" : ""));
      }
    }
    Map<ComponentId, MemoryLimiter> limiters = new LinkedHashMap<>();
    config.processors().forEach((id, p) -> {
      if (p instanceof ProcessorConfig.MemoryLimiter m) {
        MemoryLimiter limiter = MemoryLimiter.create(id.toString(), m.limitBytes(), m.spikeLimitBytes(),
            m.checkInterval(), () -> ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), System::gc,
            telemetry);
        long every = m.checkInterval().toMillis();
        ticker.scheduleAtFixedRate(limiter::measure, 0, every, TimeUnit.MILLISECONDS);
        limiters.put(id, limiter);
      }
    });
    admitted = AdmittedBytes.create(admittedBytesLimit(config), telemetry);
    List<Pipeline> pipelines = new ArrayList<>();
    for (ServiceConfig.Pipeline p : service.pipelines()) {
      List<Admission> admissions = new ArrayList<>();
      String batchId = null;
      Batching batching = null;
      for (ComponentId id : p.processors()) {
        ProcessorConfig proc = config.processors().get(id);
        if (proc instanceof ProcessorConfig.Batch b) {
          batchId = id.toString();
          batching = b.batching();
        } else {
          admissions.add(limiters.get(id));
        }
      }
      List<QueueSender> pipelineSenders = new ArrayList<>();
      for (ComponentId id : p.exporters()) {
        ExporterConfig ec = config.exporters().get(id);
        QueueSender sender = QueueSender.builder()
            .exporter(id.toString(), exporter(id, ec))
            .pipeline(p.id(), p.signal())
            .queue(queue(id, p.id(), p.signal(), ec.queue()), ec.queue().numConsumers())
            .batching(batchId, batching)
            .retry(ec.retry())
            .telemetry(telemetry)
            .build();
        sender.start();
        pipelineSenders.add(sender);
        senders.add(sender);
      }
      pipelines.add(new Pipeline(p.id(), p.signal(), List.copyOf(admissions), List.copyOf(pipelineSenders)));
    }
    for (OtlpReceiverConfig r : config.receivers().values()) {
      String id = r.id().toString();
      List<Pipeline> fed = new ArrayList<>();
      for (int i = 0; i < pipelines.size(); i++) {
        if (service.pipelines().get(i).receivers().contains(r.id())) {
          fed.add(pipelines.get(i));
        }
      }
      if (fed.isEmpty()) {
        continue;
      }
      Intake intake = Intake.create(id, fed, telemetry, admitted);
      intakes.add(intake);
      if (r.grpc() != null) {
        OtlpGrpcReceiver g = listening("receiver " + id + " grpc", r.grpc().endpoint(),
            () -> OtlpGrpcReceiver.start(r.grpc(), intake));
        grpcReceivers.put(id, g);
        Log.info("receiver " + id + ": OTLP/gRPC on " + text(g.address()));
      }
      if (r.http() != null) {
        OtlpHttpReceiver h = listening("receiver " + id + " http", r.http().endpoint(),
            () -> OtlpHttpReceiver.start(r.http(), intake));
        httpReceivers.put(id, h);
        Log.info("receiver " + id + ": OTLP/HTTP on " + text(h.address()));
      }
    }
    if (service.metricsAddress() != null) {
      metricsServer = listening("service.telemetry.metrics", service.metricsAddress(),
          () -> MetricsServer.start(service.metricsAddress(), telemetry));
      Log.info("own metrics on http://" + text(metricsServer.address()) + "/metrics");
    }
    for (ComponentId id : service.extensions()) {
      if (!(config.extensions().get(id) instanceof HealthCheckConfig hc)) {
        continue;
      }
      HealthCheck h = listening("extension " + id, hc.endpoint(), () -> HealthCheck.start(hc));
      healthChecks.add(h);
      Log.info("extension " + id + " on http://" + text(h.address()) + hc.path());
    }
    healthChecks.forEach(h -> h.setReady(true));
    Log.info("collector-lite running " + pipelines.size() + " pipelines");
  }

  /**
   * The in-flight byte budget: half of the lowest soft limit (limit minus spike) of the memory_limiters in the config,
   * else half of the maximum heap. The other half is for the collector itself and the copies a request goes through
   * (batches, compression), so that data alone never takes the heap to the limit, with or without a memory_limiter.
   */
  static long admittedBytesLimit(CollectorConfig config) {
    long heap = config.processors().values().stream()
        .filter(p -> p instanceof ProcessorConfig.MemoryLimiter).map(p -> (ProcessorConfig.MemoryLimiter) p)
        .mapToLong(m -> m.limitBytes() - m.spikeLimitBytes())
        .min().orElse(Runtime.getRuntime().maxMemory());
    return Math.max(1, heap / 2);
  }

  /** In memory, or on disk in the file_storage the exporter names (the reader checked that it is enabled). */
  private SendingQueue queue(ComponentId exporterId, String pipelineId, Signal signal, ExporterConfig.Queue q)
      throws IOException {
    if (q.storage() == null) {
      return MemoryQueue.create(q.capacity());
    }
    FileStorage storage = storages.get(q.storage());
    String exporter = exporterId.toString();
    return FileQueue.open(storage.queueDirectory(exporter, pipelineId), exporter, signal, q.capacity(), storage.fsync(),
        telemetry.counter("otelcol_exporter_queue_corrupt_records",
            "Records of a persistent queue skipped at start-up because they were torn or corrupt.",
            "exporter", exporter, "pipeline", pipelineId));
  }

  /** Starts a server, naming the component and address when that fails (port in use, unknown host). */
  private static <T> T listening(String what, HostPort endpoint, Starter<T> starter) throws IOException {
    try {
      return starter.start();
    } catch (IOException | RuntimeException e) {
      throw new IOException(what + ": cannot listen on " + endpoint + ": " + e.getMessage(), e);
    }
  }

  private static String text(InetSocketAddress a) {
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  @FunctionalInterface
  private interface Starter<T> {
    T start() throws IOException;
  }

  /** One exporter instance per id, shared by the pipelines (and signals) that use it. */
  private Exporter exporter(ComponentId id, ExporterConfig config) throws IOException {
    Exporter existing = exporters.get(id);
    if (existing != null) {
      return existing;
    }
    Exporter e;
    if (config instanceof ExporterConfig.OtlpGrpc g) {
      e = OtlpGrpcExporter.create(g);
    } else if (config instanceof ExporterConfig.OtlpHttp h) {
      e = OtlpHttpExporter.create(h);
    } else if (config instanceof ExporterConfig.TraceView t) {
      e = TraceViewExporter.start(id.toString(), t.endpoint(), TraceStore.create(t.maxTraces(), t.maxSpans(), t.ttl()));
    } else {
      e = DebugExporter.create(id.toString(), ((ExporterConfig.Debug) config).verbosity());
    }
    exporters.put(id, e);
    return e;
  }
}
