package dev.tracelight.agent.sdk;

import dev.tracelight.bootstrap.Suppression;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/**
 * Exports with instrumentation suppressed: the OTLP exporter sends with java.net.http, which the agent traces, and an
 * export must not create spans of its own (each would be exported in turn). The context also reaches the sender's
 * worker threads through the executors instrumentation.
 */
final class SuppressingSpanExporter implements SpanExporter {
  private final SpanExporter delegate;

  private SuppressingSpanExporter(SpanExporter delegate) {
    this.delegate = delegate;
  }

  static SpanExporter wrap(SpanExporter delegate) {
    return new SuppressingSpanExporter(delegate);
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    try (Scope ignored = Suppression.suppressed().makeCurrent()) {
      return delegate.export(spans);
    }
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
