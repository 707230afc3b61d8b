package dev.tracelight.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Undertow 2.2 (javax.servlet 4) and 2.3 (jakarta.servlet 6) with the servlets and filter of {@code JavaxServlets} /
 * {@code JakartaServlets} under the context path {@code /shop}: the span starts at Undertow's filter chain (so the
 * filter, and its own 401, is inside it), is named by the context path and the servlet mapping's route, ends when an
 * async request completes, stays one span through forwards, async dispatches and an error page's ERROR dispatch, and
 * records a servlet's exception with the 500 Undertow answers.
 */
class UndertowServletIT {
  @Test
  void undertow22TracesFiltersServletRoutesAsyncRequestsAndErrors() throws Exception {
    assertUndertowApp("undertow22", "javax");
  }

  @Test
  void undertow23TracesFiltersServletRoutesAsyncRequestsAndErrors() throws Exception {
    assertUndertowApp("undertow23", "jakarta");
  }

  private static void assertUndertowApp(String libs, String api) throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = ForkedApp.testMain("dev.tracelight.agent.it.undertow.UndertowApp",
              ForkedLibraries.itLibs(libs), api)
          .exportingTo(receiver)
          .env("OTEL_METRICS_EXPORTER", "otlp")
          .run();
      assertThat(result.exitCode()).as(result.stderr()).isZero();
      List<ReceivedSpan> spans = receiver.spans();
      assertThat(spans).as("one CLIENT and one SERVER span per request").hasSize(2 * 10);
      ServletSpringMvcIT.assertServletRequests(result, spans, "/shop", 200, true);
      assertThat(result.line("/other/page ")).isEqualTo("200 plain /other/page null");
      assertThat(result.line("/unavailable ")).as("the error page ran").isEqualTo("503 plain /hello null");
      assertThat(ReceivedHistogramPoint.of(receiver.metrics(), "http.server.request.duration").stream()
              .map(ReceivedHistogramPoint::attributes).distinct())
          .containsExactlyInAnyOrderElementsOf(ServletSpringMvcIT.servletPoints("/shop", 200, true));
    }
  }
}
