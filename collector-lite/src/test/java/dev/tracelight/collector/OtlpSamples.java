package dev.tracelight.collector;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Small OTLP requests built with the real protobuf classes, for tests. */
public final class OtlpSamples {
  private OtlpSamples() {}

  /** {@code resources} resource entries of {@code spansEach} spans, with random ids and names {@code prefix-r-i}. */
  public static ExportTraceServiceRequest traces(String prefix, int resources, int spansEach) {
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    for (int r = 0; r < resources; r++) {
      ScopeSpans.Builder scope = ScopeSpans.newBuilder();
      for (int i = 0; i < spansEach; i++) {
        scope.addSpans(Span.newBuilder()
            .setTraceId(ByteString.copyFrom(randomBytes(16)))
            .setSpanId(ByteString.copyFrom(randomBytes(8)))
            .setName(prefix + "-" + r + "-" + i)
            .setKind(Span.SpanKind.SPAN_KIND_SERVER)
            .setStartTimeUnixNano(1_700_000_000_000_000_000L)
            .setEndTimeUnixNano(1_700_000_000_500_000_000L)
            .addAttributes(KeyValue.newBuilder().setKey("http.request.method")
                .setValue(AnyValue.newBuilder().setStringValue("GET"))));
      }
      request.addResourceSpans(ResourceSpans.newBuilder()
          .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
              .setValue(AnyValue.newBuilder().setStringValue(prefix + "-service-" + r))))
          .addScopeSpans(scope));
    }
    return request.build();
  }

  /** One gauge with {@code gaugePoints} points and one histogram with {@code histogramPoints} points. */
  public static ExportMetricsServiceRequest metrics(int gaugePoints, int histogramPoints) {
    Gauge.Builder gauge = Gauge.newBuilder();
    for (int i = 0; i < gaugePoints; i++) {
      gauge.addDataPoints(NumberDataPoint.newBuilder().setAsInt(i).setTimeUnixNano(i + 1));
    }
    Histogram.Builder histogram = Histogram.newBuilder();
    for (int i = 0; i < histogramPoints; i++) {
      histogram.addDataPoints(HistogramDataPoint.newBuilder().setCount(i).setTimeUnixNano(i + 1));
    }
    return ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder()
            .addMetrics(Metric.newBuilder().setName("queue.depth").setGauge(gauge))
            .addMetrics(Metric.newBuilder().setName("request.duration").setHistogram(histogram))))
        .build();
  }

  public static ExportLogsServiceRequest logs(String prefix, int records) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (int i = 0; i < records; i++) {
      scope.addLogRecords(LogRecord.newBuilder().setBody(AnyValue.newBuilder().setStringValue(prefix + "-" + i))
          .setTraceId(ByteString.copyFrom(randomBytes(16))).setSpanId(ByteString.copyFrom(randomBytes(8))));
    }
    return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder().addScopeLogs(scope)).build();
  }

  public static String spanIdHex(Span span) {
    return HexFormat.of().formatHex(span.getSpanId().toByteArray());
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    ThreadLocalRandom.current().nextBytes(b);
    b[0] |= 1; // never all zero (an invalid id)
    return b;
  }
}
