package dev.tracelight.collector.traceview;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/** OTLP spans built by hand with small numbered ids, for tests of the store and the API. */
final class SpanFixtures {
  /** 2026-01-01T00:00:00Z in nanoseconds: span times in fixtures are offsets from it. */
  static final long T0 = 1_767_225_600_000_000_000L;

  private SpanFixtures() {}

  /** Trace id {@code n} as 32 hex digits (zeros and the number). */
  static String traceId(int n) {
    return HexFormat.of().formatHex(traceIdBytes(n));
  }

  static String spanId(int n) {
    return HexFormat.of().formatHex(spanIdBytes(n));
  }

  /** A span of trace {@code trace} with id {@code id} and parent {@code parent} (0: none), from start to end ms. */
  static Span.Builder span(int trace, int id, int parent, String name, long startMillis, long endMillis) {
    Span.Builder b = Span.newBuilder()
        .setTraceId(ByteString.copyFrom(traceIdBytes(trace)))
        .setSpanId(ByteString.copyFrom(spanIdBytes(id)))
        .setName(name)
        .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
        .setStartTimeUnixNano(T0 + startMillis * 1_000_000)
        .setEndTimeUnixNano(T0 + endMillis * 1_000_000);
    if (parent != 0) {
      b.setParentSpanId(ByteString.copyFrom(spanIdBytes(parent)));
    }
    return b;
  }

  static Span.Builder error(Span.Builder span, String message) {
    return span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage(message));
  }

  static KeyValue attribute(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  static KeyValue attribute(String key, long value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
  }

  /** One request holding the spans, all from one service. */
  static ExportTraceServiceRequest request(String service, Span.Builder... spans) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder()
        .setScope(InstrumentationScope.newBuilder().setName("fixtures").setVersion("1.0"));
    for (Span.Builder s : spans) {
      scope.addSpans(s);
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder()
            .setResource(Resource.newBuilder().addAttributes(attribute("service.name", service)))
            .addScopeSpans(scope))
        .build();
  }

  private static byte[] traceIdBytes(int n) {
    return ByteBuffer.allocate(16).putLong(8, n).array();
  }

  private static byte[] spanIdBytes(int n) {
    return ByteBuffer.allocate(8).putLong(0, n).array();
  }
}
