package dev.tracelight.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Jetty 12 (ee10, jakarta.servlet 6), Jetty 11 (jakarta.servlet 5, Jetty's pre-12 package names) and Jetty 9.4
 * (javax.servlet 3.1, its cached filter chain) with the servlets and filter of {@code JakartaServlets} /
 * {@code JavaxServlets}: the span starts at Jetty's filter chain (so the filter, and its own 401, is
 * inside it), is named by the servlet mapping's route (none for Jetty's own default servlet, which answers 404),
 * ends when an async request completes, and stays one span through forwards and async dispatches. Servlet 3.1 has
 * no {@code HttpServletMapping}: on Jetty 9.4 the spans are the same without routes.
 */
class JettyServletIT {
  @Test
  void jetty12TracesFiltersServletRoutesAsyncRequestsAndErrors() throws Exception {
    assertJettyApp("jetty12", "org.eclipse.jetty.ee10.servlet.ServletContextHandler", "jakarta", true);
  }

  @Test
  void jetty11TracesFiltersServletRoutesAsyncRequestsAndErrors() throws Exception {
    assertJettyApp("jetty11", "org.eclipse.jetty.servlet.ServletContextHandler", "jakarta", true);
  }

  @Test
  void jetty94OnServlet31TracesFiltersAsyncRequestsAndErrorsWithoutRoutes() throws Exception {
    assertJettyApp("jetty94", "org.eclipse.jetty.servlet.ServletContextHandler", "javax", false);
  }

  private static void assertJettyApp(String libs, String contextHandler, String api, boolean mappingRoutes)
      throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = ForkedApp.testMain("dev.tracelight.agent.it.jetty.JettyApp",
              ForkedLibraries.itLibs(libs), contextHandler, api)
          .exportingTo(receiver)
          .env("OTEL_METRICS_EXPORTER", "otlp")
          .run();
      assertThat(result.exitCode()).as(result.stderr()).isZero();
      List<ReceivedSpan> spans = receiver.spans();
      assertThat(spans).as("one CLIENT and one SERVER span per request").hasSize(2 * 10);
      ServletSpringMvcIT.assertServletRequests(result, spans, "", 404, mappingRoutes);
      assertThat(ReceivedHistogramPoint.of(receiver.metrics(), "http.server.request.duration").stream()
              .map(ReceivedHistogramPoint::attributes).distinct())
          .containsExactlyInAnyOrderElementsOf(ServletSpringMvcIT.servletPoints("", 404, mappingRoutes));
    }
  }
}
