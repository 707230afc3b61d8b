package dev.tracelight.agent.it;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A span as an OTLP receiver got it, with ids in hex and attributes as plain Java values; {@code events} are the
 * span's events in order, each as its attributes plus {@code event.name}.
 */
record ReceivedSpan(String traceId, String spanId, String parentSpanId, String name, Span.SpanKind kind,
    Map<String, Object> attributes, int statusCode, Map<String, Object> resource, List<Map<String, Object>> events) {

  static ReceivedSpan of(Span span, Resource resource) {
    List<Map<String, Object>> events = span.getEventsList().stream().map(event -> {
      Map<String, Object> values = values(event.getAttributesList());
      values.put("event.name", event.getName());
      return values;
    }).toList();
    return new ReceivedSpan(hex(span.getTraceId().toByteArray()), hex(span.getSpanId().toByteArray()),
        hex(span.getParentSpanId().toByteArray()), span.getName(), span.getKind(), values(span.getAttributesList()),
        span.getStatus().getCodeValue(), values(resource.getAttributesList()), events);
  }

  Object attribute(String key) {
    return attributes.get(key);
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  private static Map<String, Object> values(List<KeyValue> keyValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (KeyValue keyValue : keyValues) {
      map.put(keyValue.getKey(), value(keyValue.getValue()));
    }
    return map;
  }

  private static Object value(AnyValue value) {
    switch (value.getValueCase()) {
      case STRING_VALUE:
        return value.getStringValue();
      case INT_VALUE:
        return value.getIntValue();
      case BOOL_VALUE:
        return value.getBoolValue();
      case DOUBLE_VALUE:
        return value.getDoubleValue();
      default:
        return value.toString();
    }
  }
}
