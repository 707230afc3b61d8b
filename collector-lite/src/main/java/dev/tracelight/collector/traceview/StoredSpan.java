package dev.tracelight.collector.traceview;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

/**
 * One span as the store keeps it: the decoded protobuf span with the resource and scope it came with (shared by every
 * span of the same batch entry), plus the ids in hex and the service name, which every query needs.
 *
 * @param parentSpanId empty for a root span
 */
record StoredSpan(String traceId, String spanId, String parentSpanId, String service, Span span, Resource resource,
    InstrumentationScope scope) {

  String name() {
    return span.getName();
  }

  long startNanos() {
    return span.getStartTimeUnixNano();
  }

  /** Never before the start, even when a client sends an end time of 0 (span not ended) or one before its start. */
  long endNanos() {
    return Math.max(span.getStartTimeUnixNano(), span.getEndTimeUnixNano());
  }

  boolean isError() {
    return span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
  }
}
