package dev.tracelight.bootstrap.db;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;

/** One traced database call: its span, the scope while it runs, and what its duration metric is recorded with. */
public final class DbCall {
  final Span span;
  final Attributes metricAttributes;
  final long startNanos;
  Scope scope;

  DbCall(Span span, Attributes metricAttributes, long startNanos) {
    this.span = span;
    this.metricAttributes = metricAttributes;
    this.startNanos = startNanos;
  }
}
