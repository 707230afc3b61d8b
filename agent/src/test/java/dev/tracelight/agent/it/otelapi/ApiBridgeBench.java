package dev.tracelight.agent.it.otelapi;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.function.LongSupplier;

/**
 * Cost of the application's API calls through the agent's bridge ({@code agent}: run with the agent, API only) against
 * the same calls on an SDK the application owns ({@code sdk}: no agent; exporters that drop everything). Best of 5
 * rounds of 200,000 calls; prints ns per call.
 */
public final class ApiBridgeBench {
  private static final int CALLS = 200_000;
  private static final ContextKey<String> KEY = ContextKey.named("bench");
  private static long sink;

  private ApiBridgeBench() {}

  public static void main(String[] args) {
    OpenTelemetry otel = args[0].equals("sdk") ? ownSdk() : GlobalOpenTelemetry.get();
    LongCounter counter = otel.getMeter("bench").counterBuilder("bench.calls").build();
    Attributes attributes = Attributes.of(AttributeKey.stringKey("route"), "/a");
    Tracer tracer = otel.getTracer("bench");
    Span outer = tracer.spanBuilder("outer").startSpan();
    measure("counter.add(1, attributes)", () -> {
      counter.add(1, attributes);
      return 1;
    });
    measure("Context.current().with(key, v).makeCurrent().close()", () -> {
      try (Scope ignored = Context.current().with(KEY, "v").makeCurrent()) {
        return 1;
      }
    });
    try (Scope ignored = outer.makeCurrent()) {
      measure("Span.current().getSpanContext() in a scope", () -> Span.current().getSpanContext().getSpanId().length());
      measure("spanBuilder(name).startSpan().end() (child)", () -> {
        tracer.spanBuilder("op").startSpan().end();
        return 1;
      });
    }
    outer.end();
    System.out.println("SINK " + sink);
    System.exit(0);
  }

  private static void measure(String name, LongSupplier call) {
    long best = Long.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      long start = System.nanoTime();
      for (int i = 0; i < CALLS; i++) {
        sink += call.getAsLong();
      }
      best = Math.min(best, System.nanoTime() - start);
    }
    System.out.printf("%-55s %8.1f ns%n", name, (double) best / CALLS);
  }

  private static OpenTelemetry ownSdk() {
    SpanExporter spans = new SpanExporter() {
      @Override
      public CompletableResultCode export(java.util.Collection<io.opentelemetry.sdk.trace.data.SpanData> batch) {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
    MetricExporter metrics = new MetricExporter() {
      @Override
      public CompletableResultCode export(java.util.Collection<io.opentelemetry.sdk.metrics.data.MetricData> batch) {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public AggregationTemporality getAggregationTemporality(InstrumentType type) {
        return AggregationTemporality.CUMULATIVE;
      }
    };
    return OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(BatchSpanProcessor.builder(spans).build())
            .build())
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(PeriodicMetricReader.create(metrics)).build())
        .build();
  }
}
