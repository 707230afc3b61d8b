package dev.tracelight.collector.traceview;

import java.time.Duration;

/**
 * What the trace list asks for; every filter is optional.
 *
 * @param service only traces with a span of this service (null: any)
 * @param minDuration only traces at least this long (zero: any)
 * @param error true: only traces with an error span; false: only traces without; null: both
 * @param limit at most this many traces, newest first
 */
record TraceQuery(String service, Duration minDuration, Boolean error, int limit) {

  static TraceQuery all(int limit) {
    return new TraceQuery(null, Duration.ZERO, null, limit);
  }
}
