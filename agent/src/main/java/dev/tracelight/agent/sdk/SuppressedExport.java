package dev.tracelight.agent.sdk;

import dev.tracelight.bootstrap.Suppression;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/**
 * Exporters that export with instrumentation suppressed: an export must not create telemetry of its own (each would be
 * exported in turn). Our OTLP senders write to plain sockets, which nothing instruments; the suppression still keeps
 * what an export logs through java.util.logging (the SDK's warnings, the console exporter) from becoming log records,
 * and reaches the senders' worker threads through the executors instrumentation.
 */
final class SuppressedExport {
  private SuppressedExport() {}

  static SpanExporter spans(SpanExporter delegate) {
    return new Spans(delegate);
  }

  static MetricExporter metrics(MetricExporter delegate) {
    return new Metrics(delegate);
  }

  static LogRecordExporter logs(LogRecordExporter delegate) {
    return new Logs(delegate);
  }

  private static final class Spans implements SpanExporter {
    private final SpanExporter delegate;

    Spans(SpanExporter delegate) {
      this.delegate = delegate;
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

  private static final class Metrics implements MetricExporter {
    private final MetricExporter delegate;

    Metrics(MetricExporter delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
      try (Scope ignored = Suppression.suppressed().makeCurrent()) {
        return delegate.export(metrics);
      }
    }

    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return delegate.getAggregationTemporality(instrumentType);
    }

    @Override
    public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
      return delegate.getDefaultAggregation(instrumentType);
    }

    @Override
    public MemoryMode getMemoryMode() {
      return delegate.getMemoryMode();
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

  private static final class Logs implements LogRecordExporter {
    private final LogRecordExporter delegate;

    Logs(LogRecordExporter delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableResultCode export(Collection<LogRecordData> logs) {
      try (Scope ignored = Suppression.suppressed().makeCurrent()) {
        return delegate.export(logs);
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
}
