package dev.tracelight.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Jetty 12 (ee10): servlets are traced through {@code HttpServlet.service} (Jetty's filter chain is not instrumented),
 * async ones ended by the async listener.
 */
class JettyServletIT {
  @Test
  void jetty12TracesPlainAndAsyncServlets() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = ForkedApp.testMain("dev.tracelight.agent.it.jetty.JettyApp",
          ServletSpringMvcIT.jars("jetty12")).exportingTo(receiver).run();
      assertThat(result.exitCode()).as(result.stderr()).isZero();
      assertThat(result.line("/plain/hello ")).isEqualTo("200 plain /hello");
      assertThat(result.line("/async ")).isEqualTo("202 accepted");
      long port = Long.parseLong(result.line("PORT "));
      List<ReceivedSpan> spans = receiver.spans();
      assertThat(spans).hasSize(4);
      ReceivedSpan plain = ServletSpringMvcIT.serverFor(spans, "/plain/hello");
      assertThat(plain.name()).isEqualTo("GET");
      assertThat(plain.attributes()).contains(entry("http.response.status_code", 200L), entry("url.scheme", "http"),
          entry("server.address", "127.0.0.1"), entry("server.port", port), entry("network.protocol.version", "1.1"));
      ReceivedSpan async = ServletSpringMvcIT.serverFor(spans, "/async");
      assertThat(async.attributes()).contains(entry("http.response.status_code", 202L));
    }
  }
}
