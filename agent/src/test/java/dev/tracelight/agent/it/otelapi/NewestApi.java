package dev.tracelight.agent.it.otelapi;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.opentelemetry.api.trace.Span;
import java.util.List;

/** What came after API 1.10, in a class of its own so that an app on 1.10 never loads it. */
final class NewestApi {
  private NewestApi() {}

  /** Sync gauges (1.38), bucket advice (1.32), batch callbacks (1.15). */
  static void record(Meter meter) {
    meter.gaugeBuilder("shop.level").build().set(7.0, Attributes.of(AttributeKey.stringKey("shop.region"), "eu"));
    meter.gaugeBuilder("shop.level.count").ofLongs().build().set(4);
    meter.histogramBuilder("shop.weight").setExplicitBucketBoundariesAdvice(List.of(1.0, 5.0)).build().record(2.0);
    ObservableLongMeasurement batch = meter.counterBuilder("shop.batch").buildObserver();
    meter.batchCallback(() -> batch.record(5, Attributes.of(AttributeKey.stringKey("shop.region"), "us")), batch);
  }

  /** A Value attribute (1.5x). */
  static void annotate(Span span) {
    span.setAttribute(AttributeKey.valueKey("shop.payload"), Value.of(7L));
    span.setAllAttributes(Attributes.of(AttributeKey.valueKey("shop.label"), Value.of("gift")));
  }

  /** The logs bridge (1.27). */
  static void emitLog() {
    GlobalOpenTelemetry.get().getLogsBridge().get("shop-logs").logRecordBuilder()
        .setSeverity(Severity.WARN).setBody("low stock").setAttribute(AttributeKey.stringKey("shop.sku"), "s-9")
        .emit();
  }
}
