package dev.tracelight.bootstrap.annotations;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;

/** One running {@code @WithSpan} method: its span and the scope that makes it current. */
public final class WithSpanCall {
  final Span span;
  final Scope scope;

  WithSpanCall(Span span, Scope scope) {
    this.span = span;
    this.scope = scope;
  }
}
