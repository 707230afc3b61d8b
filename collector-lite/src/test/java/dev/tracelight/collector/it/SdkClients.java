package dev.tracelight.collector.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry SDK with its own OTLP exporters (grpc and http/protobuf), sending a known set of spans, data points
 * and log records to collector-lite and remembering what it sent.
 */
final class SdkClients {
  final List<String> spanIds = new ArrayList<>();
  final List<String> logBodies = new ArrayList<>();
  /** Data points the SDK exported successfully. */
  int points;

  /** Sends {@code spans} spans, {@code logs} log records and {@code points} counter points over the given protocol. */
  void send(String protocol, InetSocketAddress collector, int spans, int logs, int pointCount) {
    String base = "http://127.0.0.1:" + collector.getPort();
    boolean grpc = protocol.equals("grpc");
    SpanExporter spanExporter = grpc ? OtlpGrpcSpanExporter.builder().setEndpoint(base).build()
        : OtlpHttpSpanExporter.builder().setEndpoint(base + "/v1/traces").build();
    LogRecordExporter logExporter = grpc ? OtlpGrpcLogRecordExporter.builder().setEndpoint(base).build()
        : OtlpHttpLogRecordExporter.builder().setEndpoint(base + "/v1/logs").build();
    MetricExporter metricExporter = new CountingMetricExporter(grpc
        ? OtlpGrpcMetricExporter.builder().setEndpoint(base).build()
        : OtlpHttpMetricExporter.builder().setEndpoint(base + "/v1/metrics").build());
    try (SdkTracerProvider tracing = SdkTracerProvider.builder()
            .addSpanProcessor(BatchSpanProcessor.builder(spanExporter).setMaxExportBatchSize(100).build()).build();
        SdkLoggerProvider logging = SdkLoggerProvider.builder()
            .addLogRecordProcessor(BatchLogRecordProcessor.builder(logExporter).build()).build();
        SdkMeterProvider metering = SdkMeterProvider.builder()
            .registerMetricReader(PeriodicMetricReader.builder(metricExporter).setInterval(Duration.ofHours(1)).build())
            .build()) {
      Tracer tracer = tracing.get("fan-out-test");
      for (int i = 0; i < spans; i++) {
        Span span = tracer.spanBuilder(protocol + "-span-" + i).startSpan();
        span.end();
        synchronized (this) {
          spanIds.add(span.getSpanContext().getSpanId());
        }
      }
      Logger logger = logging.get("fan-out-test");
      for (int i = 0; i < logs; i++) {
        String body = protocol + "-log-" + i;
        logger.logRecordBuilder().setBody(body).emit();
        synchronized (this) {
          logBodies.add(body);
        }
      }
      LongCounter counter = metering.get("fan-out-test").counterBuilder(protocol + ".requests").build();
      for (int i = 0; i < pointCount; i++) {
        counter.add(i + 1, Attributes.of(AttributeKey.stringKey("route"), "/r" + i));
      }
      assertThat(tracing.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).as("spans exported").isTrue();
      assertThat(logging.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).as("logs exported").isTrue();
      assertThat(metering.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).as("metrics exported").isTrue();
    } // closing the meter provider exports once more; CountingMetricExporter counts that too
  }

  /** Counts the data points the SDK's exporter reports as delivered (the SDK adds its own metrics to ours). */
  private final class CountingMetricExporter implements MetricExporter {
    private final MetricExporter delegate;

    CountingMetricExporter(MetricExporter delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
      int n = metrics.stream().mapToInt(m -> m.getData().getPoints().size()).sum();
      CompletableResultCode result = delegate.export(metrics);
      result.whenComplete(() -> {
        if (result.isSuccess()) {
          synchronized (SdkClients.this) {
            points += n;
          }
        }
      });
      return result;
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
    public AggregationTemporality getAggregationTemporality(InstrumentType type) {
      return delegate.getAggregationTemporality(type);
    }
  }
}
