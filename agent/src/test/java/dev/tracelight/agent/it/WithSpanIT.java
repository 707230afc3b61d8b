package dev.tracelight.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code @WithSpan}/{@code @SpanAttribute} from opentelemetry-instrumentation-annotations (on the application's class
 * path only, never in the agent): one span per annotated call, named and attributed as the annotations say, nested
 * by the call stack, errors recorded, and a returned future ending its span when it completes.
 */
class WithSpanIT {
  private static final int STATUS_UNSET = 0;
  private static final int STATUS_ERROR = 2;

  @Test
  void annotatedMethodsBecomeSpansNamedAndAttributedByTheirAnnotations() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = ForkedApp.testMain("example.annotations.WithSpanApp",
          ForkedLibraries.itLibs("annotations")).exportingTo(receiver).run();
      assertThat(result.exitCode()).as(result.stderr()).isZero();
      assertThat(result.line("CHECKOUT ")).isEqualTo("3 reserved for u-42");
      assertThat(result.line("FAILED ")).isEqualTo("out of stock");
      assertThat(result.line("LATER ")).isEqualTo("done");
      List<ReceivedSpan> spans = receiver.spans();
      assertThat(spans).extracting(ReceivedSpan::name).containsExactlyInAnyOrder("WithSpanApp.checkout",
          "reserve stock", "WithSpanApp.fail", "WithSpanApp.later");

      ReceivedSpan checkout = named(spans, "WithSpanApp.checkout");
      assertThat(checkout.kind()).isEqualTo(SpanKind.SPAN_KIND_INTERNAL);
      assertThat(checkout.parentSpanId()).isEmpty();
      assertThat(checkout.attributes()).isEqualTo(Map.of("user.id", "u-42", "items", 3L));
      ReceivedSpan reserve = named(spans, "reserve stock");
      assertThat(reserve.kind()).isEqualTo(SpanKind.SPAN_KIND_PRODUCER);
      assertThat(reserve.parentSpanId()).isEqualTo(checkout.spanId());
      assertThat(reserve.traceId()).isEqualTo(checkout.traceId());
      assertThat(reserve.attributes()).isEmpty();

      ReceivedSpan fail = named(spans, "WithSpanApp.fail");
      assertThat(fail.statusCode()).isEqualTo(STATUS_ERROR);
      assertThat(fail.parentSpanId()).isEmpty();
      assertThat(named(spans, "WithSpanApp.later").statusCode()).isEqualTo(STATUS_UNSET);
    }
  }

  private static ReceivedSpan named(List<ReceivedSpan> spans, String name) {
    return spans.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }
}
