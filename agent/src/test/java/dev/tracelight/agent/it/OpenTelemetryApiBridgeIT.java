package dev.tracelight.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An application bundling its own OpenTelemetry API (1.10, the oldest supported, and the newest), no SDK, under the
 * agent ({@code it.otelapi.OwnTracingApp}): one context for both (spans, baggage, the application's own keys, across
 * {@code Context.taskWrapping}), its metrics and logs recorded and exported by the agent's SDK, and its
 * {@code GlobalOpenTelemetry.set} ignored with one line.
 */
class OpenTelemetryApiBridgeIT {
  @ParameterizedTest
  @CsvSource({"otel-api-old, opentelemetry-api-1.10.0.jar, oldest",
      "otel-api-newest, opentelemetry-api-1.68.0.jar, newest"})
  void applicationsOwnApiIsAViewOfTheAgentsContextAndSdk(String libs, String apiJar, String mode) throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = ForkedApp.testMain("dev.tracelight.agent.it.otelapi.OwnTracingApp",
              ForkedLibraries.itLibs(libs), mode)
          .exportingTo(receiver)
          .env("OTEL_METRICS_EXPORTER", "otlp")
          .env("OTEL_LOGS_EXPORTER", "otlp")
          .env("OTEL_METRIC_EXPORT_INTERVAL", "60000") // one export: the one at exit
          .env("OTEL_INSTRUMENTATION_RUNTIME_TELEMETRY_ENABLED", "false")
          .run();
      assertThat(result.exitCode()).as(result.stderr()).isZero();
      assertThat(result.line("API-JAR ")).isEqualTo(apiJar);
      assertThat(result.line("CHECKOUT ")).isEqualTo("200 42");
      assertThat(result.agentLogLines()).as("set(...) twice: one line").containsExactly("[tracelight] WARN "
          + "GlobalOpenTelemetry.set(...) called by the application is ignored: the agent's SDK is the global "
          + "OpenTelemetry (configure it with OTEL_* variables); an SDK the application built still works when "
          + "used directly");

      assertTraces(receiver.spans(), result);
      assertMetrics(receiver.metrics(), mode.equals("newest"));
      if (mode.equals("newest")) {
        assertThat(result.line("IS-SET ")).isEqualTo("true");
        ReceivedSpan lookup = only(receiver.spans(), s -> s.name().equals("price-lookup"));
        List<LogRecord> records = receiver.logs().stream().map(ResourceLogs::getScopeLogsList)
            .flatMap(List::stream).filter(scope -> scope.getScope().getName().equals("shop-logs"))
            .map(ScopeLogs::getLogRecordsList).flatMap(List::stream).toList();
        assertThat(records).hasSize(1);
        LogRecord record = records.get(0);
        assertThat(record.getBody().getStringValue()).isEqualTo("low stock");
        assertThat(record.getSeverityNumberValue()).isEqualTo(13); // WARN
        assertThat(JdbcTracingIT.attributes(record.getAttributesList())).isEqualTo(Map.of("shop.sku", "s-9"));
        assertThat(hex(record.getTraceId().toByteArray()) + " " + hex(record.getSpanId().toByteArray()))
            .as("the record carries the application's current span").isEqualTo(lookup.traceId() + " "
                + lookup.spanId());
      }
    }
  }

  @Test
  void applicationsOwnSdkStaysItsOwnButSharesTheOneContext() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = ForkedApp.testMain("dev.tracelight.agent.it.otelapi.OwnSdkApp",
          ForkedLibraries.itLibs("otel-sdk")).exportingTo(receiver).run();
      assertThat(result.exitCode()).as(result.stderr()).isZero();
      assertThat(result.agentLogLines()).hasSize(1).allSatisfy(line -> assertThat(line)
          .startsWith("[tracelight] WARN GlobalOpenTelemetry.set(...) called by the application is ignored"));
      assertThat(result.line("PING ")).as("Span.current() is the app's own SDK span object").isEqualTo("204 true");

      List<ReceivedSpan> spans = receiver.spans();
      assertThat(spans).extracting(ReceivedSpan::name).as("GlobalOpenTelemetry stays the agent's")
          .containsExactlyInAnyOrder("through-global", "GET", "GET");
      ReceivedSpan global = only(spans, s -> s.name().equals("through-global"));
      String[] own = result.line("APP-SDK-SPAN ").split(" ");
      assertThat(own[0]).isEqualTo("own-sdk-span");
      assertThat(own[1] + " " + own[3]).as("the app's SDK span is a child of the agent's current span")
          .isEqualTo(global.traceId() + " " + global.spanId());
      ReceivedSpan ping = only(spans, s -> s.kind() == SpanKind.SPAN_KIND_CLIENT);
      assertThat(ping.traceId() + " " + ping.parentSpanId()).as("the agent's client span is its child")
          .isEqualTo(global.traceId() + " " + own[2]);
      assertThat(only(spans, s -> s.kind() == SpanKind.SPAN_KIND_SERVER).parentSpanId()).isEqualTo(ping.spanId());
    }
  }

  private static void assertTraces(List<ReceivedSpan> spans, ForkedApp.Result result) {
    assertThat(spans).hasSize(7);
    ReceivedSpan checkoutCall = only(spans, s -> s.kind() == SpanKind.SPAN_KIND_CLIENT
        && ((String) s.attribute("url.full")).endsWith("/checkout"));
    ReceivedSpan checkout = only(spans, s -> s.kind() == SpanKind.SPAN_KIND_SERVER
        && "/checkout".equals(s.attribute("url.path")));
    assertThat(checkout.parentSpanId()).isEqualTo(checkoutCall.spanId());
    assertThat(result.line("SERVER-SPAN ")).as("the application's Context.current() holds the agent's server span")
        .isEqualTo(checkout.spanId());
    assertThat(checkout.attributes()).as("Span.current() in the app is the agent's server span")
        .contains(entry("shop.cart", "c-1"));
    assertThat(result.line("BAGGAGE-IN ")).as("baggage the app set before its call, extracted by the agent")
        .isEqualTo("acme");

    ReceivedSpan lookup = only(spans, s -> s.name().equals("price-lookup"));
    assertThat(lookup.kind()).isEqualTo(SpanKind.SPAN_KIND_INTERNAL);
    assertThat(lookup.parentSpanId()).isEqualTo(checkout.spanId());
    assertThat(lookup.attributes()).contains(entry("shop.items", 3L), entry("shop.gift", true),
        entry("shop.discount", 0.5));
    if (result.stdout().contains("IS-SET ")) { // the newest API: Value attributes too
      assertThat(lookup.attributes()).containsOnlyKeys("shop.items", "shop.gift", "shop.discount", "shop.tags",
          "shop.quantities", "shop.payload", "shop.label").contains(entry("shop.payload", 7L),
          entry("shop.label", "gift"));
    } else {
      assertThat(lookup.attributes()).containsOnlyKeys("shop.items", "shop.gift", "shop.discount", "shop.tags",
          "shop.quantities");
    }
    assertThat(lookup.attribute("shop.tags").toString()).as("a string array, as ReceivedSpan prints arrays")
        .contains("string_value: \"a\"", "string_value: \"b\"");
    assertThat(lookup.attribute("shop.quantities").toString()).contains("int_value: 1", "int_value: 2");
    assertThat(lookup.statusCode()).as("setStatus(ERROR, …)").isEqualTo(2);
    assertThat(result.line("APP-SPAN ")).as("the app sees the ids the agent exported")
        .isEqualTo(lookup.traceId() + " " + lookup.spanId());
    assertThat(result.line("CURRENT-SPAN ")).isEqualTo(lookup.spanId());
    ReceivedSpan pricesCall = only(spans, s -> s.kind() == SpanKind.SPAN_KIND_CLIENT
        && ((String) s.attribute("url.full")).endsWith("/prices"));
    assertThat(pricesCall.parentSpanId()).as("the app's span is current for the agent's HTTP client")
        .isEqualTo(lookup.spanId());
    ReceivedSpan prices = only(spans, s -> s.kind() == SpanKind.SPAN_KIND_SERVER
        && "/prices".equals(s.attribute("url.path")));
    assertThat(prices.parentSpanId()).isEqualTo(pricesCall.spanId());
    assertThat(result.line("PRICES-BAGGAGE ")).as("the app's baggage, injected by the agent's client")
        .isEqualTo("cart=c-1,tenant=acme");
    assertThat(List.of(checkoutCall, checkout, lookup, pricesCall, prices)).extracting(ReceivedSpan::traceId)
        .containsOnly(checkout.traceId());

    assertThat(result.line("WRAPPED-TASK ")).as("Context.taskWrapping carries the app's key, baggage and span")
        .isEqualTo("r-7 c-1 " + lookup.spanId());
    assertThat(result.line("RAW-TASK ")).isEqualTo("null null 0000000000000000");
    assertThat(result.line("POOL-TASK ")).as("the agent's executor propagation carries the app's values")
        .isEqualTo("r-7 c-1 " + lookup.spanId());
    String flags = result.line("PRICES-TRACEPARENT ").substring(53); // as the agent's own client sent them
    assertThat(result.line("INJECTED ")).as("the agent's propagators, called through the app's API")
        .isEqualTo("{baggage=cart=c-1,tenant=acme, traceparent=00-" + lookup.traceId() + "-" + lookup.spanId()
            + "-" + flags + "}");
    assertThat(result.line("EXTRACTED ")).isEqualTo("partner true");
    ReceivedSpan callback = only(spans, s -> s.name().equals("partner-callback"));
    assertThat(callback.traceId() + " " + callback.parentSpanId())
        .isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736 00f067aa0ba902b7");
    assertThat(result.line("AFTER-SCOPE ")).as("closing the scopes restores the server span's context")
        .isEqualTo("null null " + checkout.spanId());
    assertThat(result.line("ROOT-AFTER ")).isEqualTo("false true true");

    ReceivedSpan audit = only(spans, s -> s.name().equals("audit"));
    assertThat(audit.parentSpanId()).as("setParent(Context.root()) starts a new trace").isEmpty();
    assertThat(audit.traceId()).isEqualTo(result.line("AUDIT-TRACE ")).isNotEqualTo(checkout.traceId());
  }

  private static void assertMetrics(List<ResourceMetrics> exports, boolean newest) {
    Map<String, Metric> metrics = new LinkedHashMap<>();
    exports.stream().map(ResourceMetrics::getScopeMetricsList).flatMap(List::stream)
        .filter(scope -> scope.getScope().getName().equals("shop")).map(ScopeMetrics::getMetricsList)
        .flatMap(List::stream).forEach(metric -> metrics.put(metric.getName(), metric));

    Metric orders = metrics.get("shop.orders");
    assertThat(orders.getUnit()).isEqualTo("{order}");
    assertThat(orders.getDescription()).isEqualTo("orders placed");
    assertThat(orders.getSum().getIsMonotonic()).isTrue();
    assertThat(points(orders.getSum().getDataPointsList()))
        .isEqualTo(Map.of(Map.of("shop.region", "eu"), 5L, Map.of("shop.region", "us"), 1L));
    assertThat(points(metrics.get("shop.revenue").getSum().getDataPointsList()))
        .isEqualTo(Map.of(Map.of("shop.region", "eu"), 9.5));
    assertThat(metrics.get("shop.queue").getSum().getIsMonotonic()).isFalse();
    assertThat(points(metrics.get("shop.queue").getSum().getDataPointsList())).isEqualTo(Map.of(Map.of(), 3L));
    assertThat(points(metrics.get("shop.balance").getSum().getDataPointsList())).isEqualTo(Map.of(Map.of(), 1.25));

    HistogramDataPoint latency = metrics.get("shop.latency").getHistogram().getDataPoints(0);
    assertThat(metrics.get("shop.latency").getUnit()).isEqualTo("s");
    assertThat(JdbcTracingIT.attributes(latency.getAttributesList())).isEqualTo(Map.of("shop.region", "eu"));
    assertThat(latency.getCount()).isEqualTo(2);
    assertThat(latency.getSum()).isCloseTo(0.75, within(1e-9));
    HistogramDataPoint size = metrics.get("shop.size").getHistogram().getDataPoints(0);
    assertThat(size.getCount()).isEqualTo(2);
    assertThat(size.getSum()).isEqualTo(10.0);

    assertThat(metrics.get("shop.temperature").getUnit()).isEqualTo("Cel");
    assertThat(points(metrics.get("shop.temperature").getGauge().getDataPointsList()))
        .isEqualTo(Map.of(Map.of("shop.region", "eu"), 21.5));
    assertThat(points(metrics.get("shop.stock").getGauge().getDataPointsList())).isEqualTo(Map.of(Map.of(), 12L));
    assertThat(metrics.get("shop.observed").getSum().getIsMonotonic()).isTrue();
    assertThat(points(metrics.get("shop.observed").getSum().getDataPointsList())).isEqualTo(Map.of(Map.of(), 42L));
    assertThat(metrics.get("shop.observed.balance").getSum().getIsMonotonic()).isFalse();
    assertThat(points(metrics.get("shop.observed.balance").getSum().getDataPointsList()))
        .isEqualTo(Map.of(Map.of(), -1.5));

    if (!newest) {
      assertThat(metrics).hasSize(10);
      return;
    }
    assertThat(metrics).hasSize(14);
    assertThat(points(metrics.get("shop.level").getGauge().getDataPointsList()))
        .isEqualTo(Map.of(Map.of("shop.region", "eu"), 7.0));
    assertThat(points(metrics.get("shop.level.count").getGauge().getDataPointsList()))
        .isEqualTo(Map.of(Map.of(), 4L));
    HistogramDataPoint weight = metrics.get("shop.weight").getHistogram().getDataPoints(0);
    assertThat(weight.getExplicitBoundsList()).as("the app's bucket advice").containsExactly(1.0, 5.0);
    assertThat(weight.getBucketCountsList()).containsExactly(0L, 1L, 0L);
    assertThat(points(metrics.get("shop.batch").getSum().getDataPointsList()))
        .isEqualTo(Map.of(Map.of("shop.region", "us"), 5L));
  }

  /** Each point's attributes to its value (Long or Double). */
  private static Map<Map<String, Object>, Object> points(List<NumberDataPoint> points) {
    Map<Map<String, Object>, Object> values = new LinkedHashMap<>();
    for (NumberDataPoint point : points) {
      values.put(JdbcTracingIT.attributes(point.getAttributesList()),
          point.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? (Object) point.getAsInt()
              : (Object) point.getAsDouble());
    }
    return values;
  }

  private static ReceivedSpan only(List<ReceivedSpan> spans, Predicate<ReceivedSpan> filter) {
    List<ReceivedSpan> matching = spans.stream().filter(filter).toList();
    assertThat(matching).as("exactly one matching span in " + spans).hasSize(1);
    return matching.get(0);
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
