package dev.tracelight.collector.traceview;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The JSON the API answers with. Times since the epoch are strings of nanoseconds, as in OTLP/JSON (they do not fit a
 * JavaScript number); offsets and durations within a trace are plain numbers of nanoseconds. Attributes become a JSON
 * object of their values; an integer beyond 2^53 becomes a string so that JavaScript does not round it.
 */
final class TraceJson {
  private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
  private static final HexFormat HEX = HexFormat.of();

  private TraceJson() {}

  static JsonObject list(List<TraceSummary> traces, TraceStore.Usage usage) {
    JsonArray array = new JsonArray();
    traces.forEach(t -> array.add(summary(t)));
    JsonObject out = new JsonObject();
    out.add("traces", array);
    JsonObject store = new JsonObject();
    store.addProperty("traces", usage.traces());
    store.addProperty("spans", usage.spans());
    store.addProperty("maxTraces", usage.maxTraces());
    store.addProperty("maxSpans", usage.maxSpans());
    store.addProperty("evictedTraces", usage.evictedTraces());
    store.addProperty("droppedSpans", usage.droppedSpans());
    out.add("store", store);
    return out;
  }

  static JsonObject summary(TraceSummary t) {
    JsonObject o = new JsonObject();
    o.addProperty("traceId", t.traceId());
    o.addProperty("rootService", t.rootService());
    o.addProperty("rootName", t.rootName());
    o.addProperty("startTimeUnixNano", Long.toUnsignedString(t.startNanos()));
    o.addProperty("durationNanos", t.durationNanos());
    o.addProperty("spanCount", t.spanCount());
    o.add("services", strings(t.services()));
    o.addProperty("error", t.errorCount() > 0);
    o.addProperty("errorCount", t.errorCount());
    o.addProperty("droppedSpans", t.droppedSpans());
    return o;
  }

  /** A whole trace: its summary fields and its spans in order of start time. */
  static JsonObject trace(StoredTrace trace) {
    JsonObject o = summary(trace.summary());
    JsonArray array = new JsonArray();
    trace.spans().forEach(s -> array.add(span(s, trace.summary().startNanos())));
    o.add("spans", array);
    return o;
  }

  static JsonObject services(List<String> services) {
    JsonObject o = new JsonObject();
    o.add("services", strings(services));
    return o;
  }

  static JsonObject error(String message) {
    JsonObject o = new JsonObject();
    o.addProperty("error", message);
    return o;
  }

  private static JsonObject span(StoredSpan s, long traceStart) {
    Span span = s.span();
    JsonObject o = new JsonObject();
    o.addProperty("spanId", s.spanId());
    o.addProperty("parentSpanId", s.parentSpanId());
    o.addProperty("name", span.getName());
    o.addProperty("kind", kind(span.getKind()));
    o.addProperty("service", s.service());
    o.addProperty("startTimeUnixNano", Long.toUnsignedString(s.startNanos()));
    o.addProperty("endTimeUnixNano", Long.toUnsignedString(s.endNanos()));
    o.addProperty("offsetNanos", s.startNanos() - traceStart);
    o.addProperty("durationNanos", s.endNanos() - s.startNanos());
    JsonObject status = new JsonObject();
    status.addProperty("code", span.getStatus().getCode().name().replace("STATUS_CODE_", ""));
    status.addProperty("message", span.getStatus().getMessage());
    o.add("status", status);
    o.add("attributes", attributes(span.getAttributesList()));
    JsonArray events = new JsonArray();
    for (Span.Event e : span.getEventsList()) {
      JsonObject event = new JsonObject();
      event.addProperty("name", e.getName());
      event.addProperty("timeUnixNano", Long.toUnsignedString(e.getTimeUnixNano()));
      event.addProperty("offsetNanos", e.getTimeUnixNano() - traceStart);
      event.add("attributes", attributes(e.getAttributesList()));
      events.add(event);
    }
    o.add("events", events);
    JsonArray links = new JsonArray();
    for (Span.Link l : span.getLinksList()) {
      JsonObject link = new JsonObject();
      link.addProperty("traceId", HEX.formatHex(l.getTraceId().toByteArray()));
      link.addProperty("spanId", HEX.formatHex(l.getSpanId().toByteArray()));
      link.add("attributes", attributes(l.getAttributesList()));
      links.add(link);
    }
    o.add("links", links);
    JsonObject resource = new JsonObject();
    resource.add("attributes", attributes(s.resource().getAttributesList()));
    o.add("resource", resource);
    JsonObject scope = new JsonObject();
    scope.addProperty("name", s.scope().getName());
    scope.addProperty("version", s.scope().getVersion());
    o.add("scope", scope);
    return o;
  }

  private static String kind(Span.SpanKind kind) {
    return switch (kind) {
      case SPAN_KIND_INTERNAL -> "INTERNAL";
      case SPAN_KIND_SERVER -> "SERVER";
      case SPAN_KIND_CLIENT -> "CLIENT";
      case SPAN_KIND_PRODUCER -> "PRODUCER";
      case SPAN_KIND_CONSUMER -> "CONSUMER";
      default -> "UNSPECIFIED";
    };
  }

  private static JsonObject attributes(List<KeyValue> attributes) {
    JsonObject o = new JsonObject();
    for (KeyValue kv : attributes) {
      o.add(kv.getKey(), value(kv.getValue()));
    }
    return o;
  }

  private static JsonElement value(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> new JsonPrimitive(v.getStringValue());
      case BOOL_VALUE -> new JsonPrimitive(v.getBoolValue());
      case INT_VALUE -> v.getIntValue() >= -MAX_SAFE_INTEGER && v.getIntValue() <= MAX_SAFE_INTEGER
          ? new JsonPrimitive(v.getIntValue())
          : new JsonPrimitive(Long.toString(v.getIntValue()));
      case DOUBLE_VALUE -> Double.isFinite(v.getDoubleValue()) ? new JsonPrimitive(v.getDoubleValue())
          : new JsonPrimitive(Double.toString(v.getDoubleValue()).toLowerCase(Locale.ROOT));
      case ARRAY_VALUE -> {
        JsonArray a = new JsonArray();
        v.getArrayValue().getValuesList().forEach(x -> a.add(value(x)));
        yield a;
      }
      case KVLIST_VALUE -> attributes(v.getKvlistValue().getValuesList());
      case BYTES_VALUE -> new JsonPrimitive(Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
      default -> JsonNull.INSTANCE;
    };
  }

  private static JsonArray strings(List<String> values) {
    JsonArray a = new JsonArray();
    values.forEach(a::add);
    return a;
  }
}
