package dev.tracelight.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * An application bundling an older OpenTelemetry API (1.32, no SDK) under the agent: its {@code GlobalOpenTelemetry}
 * spans are made by the agent's SDK, parented to the agent's current span, and are current for the agent's own
 * instrumentation; its {@code Span.current()} is the agent's span. One trace of five spans.
 */
class OpenTelemetryApiBridgeIT {
  @Test
  void applicationSpansFromAnOlderBundledApiJoinTheAgentsTrace() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = ForkedApp.testMain("dev.tracelight.agent.it.otelapi.OwnTracingApp",
          ServletSpringMvcIT.jars("otel-api-old")).exportingTo(receiver).run();
      assertThat(result.exitCode()).as(result.stderr()).isZero();
      assertThat(result.line("CHECKOUT ")).isEqualTo("200 42");
      assertThat(result.line("API-JAR ")).isEqualTo("opentelemetry-api-1.32.0.jar");
      List<ReceivedSpan> spans = receiver.spans();
      assertThat(spans).hasSize(5);

      ReceivedSpan checkout = only(spans, s -> s.kind() == SpanKind.SPAN_KIND_SERVER
          && "/checkout".equals(s.attribute("url.path")));
      assertThat(checkout.attributes()).as("Span.current() in the app is the agent's server span")
          .contains(entry("shop.cart", "c-1"));
      ReceivedSpan lookup = only(spans, s -> s.name().equals("price-lookup"));
      assertThat(lookup.kind()).isEqualTo(SpanKind.SPAN_KIND_INTERNAL);
      assertThat(lookup.parentSpanId()).isEqualTo(checkout.spanId());
      assertThat(lookup.attributes()).isEqualTo(Map.of("shop.items", 3L));
      assertThat(result.line("APP-SPAN ")).as("the app sees the ids the agent exported")
          .isEqualTo(lookup.traceId() + " " + lookup.spanId());
      ReceivedSpan prices = only(spans, s -> s.kind() == SpanKind.SPAN_KIND_CLIENT
          && ((String) s.attribute("url.full")).endsWith("/prices"));
      assertThat(prices.parentSpanId()).as("the app's span is current for the agent's HTTP client")
          .isEqualTo(lookup.spanId());
      assertThat(spans).extracting(ReceivedSpan::traceId).containsOnly(checkout.traceId());
    }
  }

  private static ReceivedSpan only(List<ReceivedSpan> spans, Predicate<ReceivedSpan> filter) {
    List<ReceivedSpan> matching = spans.stream().filter(filter).toList();
    assertThat(matching).as("exactly one matching span in " + spans).hasSize(1);
    return matching.get(0);
  }
}
