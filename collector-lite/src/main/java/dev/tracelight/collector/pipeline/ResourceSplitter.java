package dev.tracelight.collector.pipeline;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one resource entry that alone holds more than {@code send_batch_max_size} items: the only place where
 * requests are decoded for batching, and only that entry. Spans and log records are split one by one (resource and
 * scope repeated in every part); metrics are split between metrics, so a single metric with more data points than the
 * maximum stays whole.
 */
final class ResourceSplitter {
  private ResourceSplitter() {}

  /** A serialized one-resource request and its item count. */
  record Piece(byte[] bytes, int items) {}

  /** @param request a request holding exactly the one resource entry to split */
  static List<Piece> split(Signal signal, byte[] request, int maxItems) throws InvalidProtocolBufferException {
    return switch (signal) {
      case TRACES -> traces(ExportTraceServiceRequest.parseFrom(request).getResourceSpans(0), maxItems);
      case LOGS -> logs(ExportLogsServiceRequest.parseFrom(request).getResourceLogs(0), maxItems);
      case METRICS -> metrics(ExportMetricsServiceRequest.parseFrom(request).getResourceMetrics(0), maxItems);
    };
  }

  private static List<Piece> traces(ResourceSpans resource, int max) {
    List<Piece> out = new ArrayList<>();
    ResourceSpans.Builder part = resource.toBuilder().clearScopeSpans();
    int n = 0;
    for (ScopeSpans scope : resource.getScopeSpansList()) {
      ScopeSpans.Builder s = scope.toBuilder().clearSpans();
      for (Span span : scope.getSpansList()) {
        if (n == max) {
          out.add(piece(part.addScopeSpans(s).build(), n));
          part = resource.toBuilder().clearScopeSpans();
          s = scope.toBuilder().clearSpans();
          n = 0;
        }
        s.addSpans(span);
        n++;
      }
      if (s.getSpansCount() > 0) {
        part.addScopeSpans(s);
      }
    }
    if (n > 0) {
      out.add(piece(part.build(), n));
    }
    return out;
  }

  private static List<Piece> logs(ResourceLogs resource, int max) {
    List<Piece> out = new ArrayList<>();
    ResourceLogs.Builder part = resource.toBuilder().clearScopeLogs();
    int n = 0;
    for (ScopeLogs scope : resource.getScopeLogsList()) {
      ScopeLogs.Builder s = scope.toBuilder().clearLogRecords();
      for (LogRecord log : scope.getLogRecordsList()) {
        if (n == max) {
          out.add(piece(part.addScopeLogs(s).build(), n));
          part = resource.toBuilder().clearScopeLogs();
          s = scope.toBuilder().clearLogRecords();
          n = 0;
        }
        s.addLogRecords(log);
        n++;
      }
      if (s.getLogRecordsCount() > 0) {
        part.addScopeLogs(s);
      }
    }
    if (n > 0) {
      out.add(piece(part.build(), n));
    }
    return out;
  }

  private static List<Piece> metrics(ResourceMetrics resource, int max) {
    List<Piece> out = new ArrayList<>();
    ResourceMetrics.Builder part = resource.toBuilder().clearScopeMetrics();
    int n = 0;
    for (ScopeMetrics scope : resource.getScopeMetricsList()) {
      ScopeMetrics.Builder s = scope.toBuilder().clearMetrics();
      for (Metric metric : scope.getMetricsList()) {
        int points = points(metric);
        if (n > 0 && n + points > max) {
          out.add(piece(part.addScopeMetrics(s).build(), n));
          part = resource.toBuilder().clearScopeMetrics();
          s = scope.toBuilder().clearMetrics();
          n = 0;
        }
        s.addMetrics(metric);
        n += points;
      }
      if (s.getMetricsCount() > 0) {
        part.addScopeMetrics(s);
      }
    }
    if (n > 0 || part.getScopeMetricsCount() > 0) {
      out.add(piece(part.build(), n));
    }
    return out;
  }

  private static int points(Metric m) {
    return switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPointsCount();
      case SUM -> m.getSum().getDataPointsCount();
      case HISTOGRAM -> m.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
      case SUMMARY -> m.getSummary().getDataPointsCount();
      default -> 0;
    };
  }

  private static Piece piece(ResourceSpans r, int items) {
    return new Piece(ExportTraceServiceRequest.newBuilder().addResourceSpans(r).build().toByteArray(), items);
  }

  private static Piece piece(ResourceLogs r, int items) {
    return new Piece(ExportLogsServiceRequest.newBuilder().addResourceLogs(r).build().toByteArray(), items);
  }

  private static Piece piece(ResourceMetrics r, int items) {
    return new Piece(ExportMetricsServiceRequest.newBuilder().addResourceMetrics(r).build().toByteArray(), items);
  }
}
