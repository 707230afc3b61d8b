package dev.tracelight.bootstrap.logs;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.HashMap;
import java.util.Map;

/**
 * The trace context as MDC / ThreadContext entries ({@code trace_id}, {@code span_id}, {@code trace_flags}), so that
 * existing log patterns can print them ({@code %X{trace_id}}). Entries the application set itself win.
 */
public final class LogCorrelation {
  public static final String TRACE_ID = "trace_id";
  public static final String SPAN_ID = "span_id";
  public static final String TRACE_FLAGS = "trace_flags";

  private LogCorrelation() {}

  /** The current span's trace id, span id and flags (hex), or null when no valid span is current. */
  public static String[] currentIds() {
    SpanContext span = Span.current().getSpanContext();
    return span.isValid() ? new String[] {span.getTraceId(), span.getSpanId(), span.getTraceFlags().asHex()} : null;
  }

  /**
   * {@code mdc} plus the current span's ids, as a new map; {@code mdc} itself when no valid span is current or the
   * ids are already there. Never changes {@code mdc}: logging libraries hand out shared, read-only maps.
   */
  public static Map<String, String> withTraceContext(Map<String, String> mdc) {
    SpanContext span = Span.current().getSpanContext();
    if (!span.isValid() || (mdc != null && mdc.containsKey(TRACE_ID))) {
      return mdc;
    }
    Map<String, String> copy = mdc == null ? new HashMap<>(4) : new HashMap<>(mdc);
    copy.putIfAbsent(TRACE_ID, span.getTraceId());
    copy.putIfAbsent(SPAN_ID, span.getSpanId());
    copy.putIfAbsent(TRACE_FLAGS, span.getTraceFlags().asHex());
    return copy;
  }
}
