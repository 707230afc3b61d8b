package dev.tracelight.collector.traceview;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

/**
 * One span as the store keeps it: what the list and the waterfall need as fields, and the rest (attributes, events,
 * links) as the span's protobuf bytes, decoded only when someone opens its trace. Kept as decoded objects, a typical HTTP
 * server span took ~3.2 KB of heap; kept like this, ~1 KB (measured with TraceStoreFootprint), and the store holds tens
 * of thousands. Resource and scope objects are shared by every span of the same batch entry.
 *
 * @param parentSpanId empty for a root span
 * @param endNanos never before the start, even when a client sends 0 (span not ended) or an end before its start
 */
record StoredSpan(String traceId, String spanId, String parentSpanId, String service, String name, long startNanos,
    long endNanos, boolean error, byte[] encoded, Resource resource, InstrumentationScope scope) {

  static StoredSpan of(String traceId, String spanId, String parentSpanId, String service, Span span, Resource resource,
      InstrumentationScope scope) {
    long start = span.getStartTimeUnixNano();
    return new StoredSpan(traceId, spanId, parentSpanId, service, span.getName(), start,
        Math.max(start, span.getEndTimeUnixNano()), span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR,
        span.toByteArray(), resource, scope);
  }

  /** The whole span, decoded again from its bytes. */
  Span span() {
    try {
      return Span.parseFrom(encoded);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored span " + spanId + " does not decode (it was encoded by the store)", e);
    }
  }
}
