package dev.tracelight.agent.it;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One histogram data point as an OTLP receiver got it, attributes as plain Java values. */
record ReceivedHistogramPoint(String metric, String unit, Map<String, Object> attributes, long count,
    List<Double> bounds) {
  /** The HTTP duration histograms' bucket boundaries of the semantic conventions, in seconds. */
  static final List<Double> SPEC_BUCKETS =
      List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

  /** Every point of the histogram {@code name} in {@code exports} (cumulative: later exports repeat earlier ones). */
  static List<ReceivedHistogramPoint> of(List<ResourceMetrics> exports, String name) {
    List<ReceivedHistogramPoint> points = new ArrayList<>();
    for (ResourceMetrics resource : exports) {
      for (ScopeMetrics scope : resource.getScopeMetricsList()) {
        for (Metric metric : scope.getMetricsList()) {
          if (metric.getName().equals(name) && metric.hasHistogram()) {
            for (HistogramDataPoint point : metric.getHistogram().getDataPointsList()) {
              points.add(new ReceivedHistogramPoint(name, metric.getUnit(), values(point.getAttributesList()),
                  point.getCount(), point.getExplicitBoundsList()));
            }
          }
        }
      }
    }
    return points;
  }

  private static Map<String, Object> values(List<KeyValue> keyValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (KeyValue keyValue : keyValues) {
      switch (keyValue.getValue().getValueCase()) {
        case STRING_VALUE -> map.put(keyValue.getKey(), keyValue.getValue().getStringValue());
        case INT_VALUE -> map.put(keyValue.getKey(), keyValue.getValue().getIntValue());
        default -> map.put(keyValue.getKey(), keyValue.getValue().toString());
      }
    }
    return map;
  }
}
