package dev.tracelight.itweb;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** OTLP http/protobuf receiver on 127.0.0.1 (port picked at run time) keeping spans and histogram points. */
final class OtlpHttpReceiver implements AutoCloseable {
  record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name,
      Span.SpanKind kind, Map<String, Object> attributes) {
    Object attribute(String key) {
      return attributes.get(key);
    }
  }

  record HistogramPoint(String service, String metric, String unit, Map<String, Object> attributes, List<Double> bounds,
      long count) {}

  private final List<ReceivedSpan> spans = new ArrayList<>();
  private final List<HistogramPoint> points = new ArrayList<>();
  private final HttpServer server;

  OtlpHttpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      try (InputStream body = exchange.getRequestBody()) {
        byte[] bytes = body.readAllBytes();
        switch (exchange.getRequestURI().getPath()) {
          case "/v1/traces" -> add(ExportTraceServiceRequest.parseFrom(bytes));
          case "/v1/metrics" -> add(ExportMetricsServiceRequest.parseFrom(bytes));
          default -> { }
        }
      }
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  synchronized List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  synchronized List<HistogramPoint> histogramPoints(String metric) {
    return points.stream().filter(p -> p.metric().equals(metric)).toList();
  }

  private synchronized void add(ExportTraceServiceRequest request) {
    for (ResourceSpans resource : request.getResourceSpansList()) {
      String service = (String) values(resource.getResource().getAttributesList()).get("service.name");
      for (ScopeSpans scope : resource.getScopeSpansList()) {
        for (Span span : scope.getSpansList()) {
          spans.add(new ReceivedSpan(service, hex(span.getTraceId().toByteArray()), hex(span.getSpanId().toByteArray()),
              hex(span.getParentSpanId().toByteArray()), span.getName(), span.getKind(),
              values(span.getAttributesList())));
        }
      }
    }
  }

  private synchronized void add(ExportMetricsServiceRequest request) {
    for (ResourceMetrics resource : request.getResourceMetricsList()) {
      String service = (String) values(resource.getResource().getAttributesList()).get("service.name");
      for (ScopeMetrics scope : resource.getScopeMetricsList()) {
        for (Metric metric : scope.getMetricsList()) {
          for (HistogramDataPoint point : metric.getHistogram().getDataPointsList()) {
            points.add(new HistogramPoint(service, metric.getName(), metric.getUnit(),
                values(point.getAttributesList()), point.getExplicitBoundsList(), point.getCount()));
          }
        }
      }
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private static Map<String, Object> values(List<KeyValue> keyValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (KeyValue keyValue : keyValues) {
      AnyValue value = keyValue.getValue();
      map.put(keyValue.getKey(), switch (value.getValueCase()) {
        case STRING_VALUE -> value.getStringValue();
        case INT_VALUE -> value.getIntValue();
        case BOOL_VALUE -> value.getBoolValue();
        case DOUBLE_VALUE -> value.getDoubleValue();
        default -> value.toString();
      });
    }
    return map;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
