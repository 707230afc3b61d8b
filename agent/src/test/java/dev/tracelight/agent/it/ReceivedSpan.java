package dev.tracelight.agent.it;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A span as an OTLP receiver got it, with ids in hex and attributes as plain Java values. */
record ReceivedSpan(String traceId, String spanId, String parentSpanId, String name, Span.SpanKind kind,
    Map<String, Object> attributes, int statusCode, Map<String, Object> resource,
    Map<String, Map<String, Object>> events) {

  static ReceivedSpan of(Span span, Resource resource) {
    return new ReceivedSpan(hex(span.getTraceId().toByteArray()), hex(span.getSpanId().toByteArray()),
        hex(span.getParentSpanId().toByteArray()), span.getName(), span.getKind(), values(span.getAttributesList()),
        span.getStatus().getCodeValue(), values(resource.getAttributesList()), events(span));
  }

  /** Event name to its attributes (the last event of a name wins). */
  private static Map<String, Map<String, Object>> events(Span span) {
    Map<String, Map<String, Object>> events = new LinkedHashMap<>();
    span.getEventsList().forEach(event -> events.put(event.getName(), values(event.getAttributesList())));
    return events;
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
