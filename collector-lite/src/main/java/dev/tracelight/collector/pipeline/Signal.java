package dev.tracelight.collector.pipeline;

/** The three OTLP signals, with the names the collector uses for them in config, URLs and its own metrics. */
public enum Signal {
  TRACES("traces", "spans", "opentelemetry.proto.collector.trace.v1.TraceService"),
  METRICS("metrics", "metric_points", "opentelemetry.proto.collector.metrics.v1.MetricsService"),
  LOGS("logs", "log_records", "opentelemetry.proto.collector.logs.v1.LogsService");

  private final String id;
  private final String itemName;
  private final String grpcService;

  Signal(String id, String itemName, String grpcService) {
    this.id = id;
    this.itemName = itemName;
    this.grpcService = grpcService;
  }

  /** {@code traces}, {@code metrics} or {@code logs}: pipeline type, URL path segment, metric label. */
  public String id() {
    return id;
  }

  /** {@code spans}, {@code metric_points} or {@code log_records}, as in {@code otelcol_receiver_accepted_spans}. */
  public String itemName() {
    return itemName;
  }

  /** Fully qualified gRPC service name; its one method is {@code Export}. */
  public String grpcService() {
    return grpcService;
  }

  public String httpPath() {
    return "/v1/" + id;
  }

  public static Signal fromId(String id) {
    for (Signal s : values()) {
      if (s.id.equals(id)) {
        return s;
      }
    }
    return null;
  }
}
