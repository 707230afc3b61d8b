package dev.tracelight.agent.it;

import static dev.tracelight.agent.it.JdkHttpTracingIT.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Bodies, errors and re-entrant calls: HttpClient.sendAsync POST answered 500; HttpURLConnection POST through
 * getOutputStream then getResponseCode twice and getInputStream; a 404 read through getInputStream (which throws);
 * a refused connection. One CLIENT span per request, with the spec's status rules.
 */
class HttpClientOutcomesIT {
  private static final int ERROR = 2;
  private static final int UNSET = 0;

  @Test
  void oneSpanPerRequestWithTheSpecsErrorRules() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = ForkedApp.helloApp("clients").exportingTo(receiver).run();
      assertThat(result.stdout()).contains("async 500", "post 201 201", "missing FileNotFoundException 404",
          "refused ConnectException");
      List<ReceivedSpan> spans = receiver.spans();
      assertThat(spans).hasSize(9);
      ReceivedSpan handler = only(spans, JdkHttpTracingIT.server("/clients"));

      ReceivedSpan asyncClient = only(spans, client("POST", "/status/500"));
      assertThat(asyncClient.parentSpanId()).isEqualTo(handler.spanId());
      assertThat(asyncClient.statusCode()).isEqualTo(ERROR);
      assertThat(asyncClient.attributes()).contains(entry("http.response.status_code", 500L),
          entry("error.type", "500"));
      ReceivedSpan asyncServer = only(spans, JdkHttpTracingIT.server("/status/500"));
      assertThat(asyncServer.parentSpanId()).isEqualTo(asyncClient.spanId());
      assertThat(asyncServer.name()).isEqualTo("POST");
      assertThat(asyncServer.statusCode()).isEqualTo(ERROR);
      assertThat(asyncServer.attributes()).contains(entry("error.type", "500"));

      ReceivedSpan post = only(spans, client("POST", "/status/201"));
      assertThat(post.parentSpanId()).isEqualTo(handler.spanId());
      assertThat(post.statusCode()).isEqualTo(UNSET);
      assertThat(post.attributes()).contains(entry("http.response.status_code", 201L)).doesNotContainKey("error.type");
      assertThat(only(spans, JdkHttpTracingIT.server("/status/201")).parentSpanId()).isEqualTo(post.spanId());

      ReceivedSpan missing = only(spans, client("GET", "/status/404"));
      assertThat(missing.statusCode()).isEqualTo(ERROR);
      assertThat(missing.attributes()).contains(entry("http.response.status_code", 404L), entry("error.type", "404"));
      ReceivedSpan missingServer = only(spans, JdkHttpTracingIT.server("/status/404"));
      assertThat(missingServer.parentSpanId()).isEqualTo(missing.spanId());
      assertThat(missingServer.statusCode()).as("4xx is not a server error").isEqualTo(UNSET);
      assertThat(missingServer.attributes()).doesNotContainKey("error.type");

      ReceivedSpan refused = only(spans, client("GET", "/nothing"));
      assertThat(refused.statusCode()).isEqualTo(ERROR);
      assertThat(refused.attributes()).contains(entry("error.type", "java.net.ConnectException"))
          .doesNotContainKey("http.response.status_code");
    }
  }

  private static Predicate<ReceivedSpan> client(String method, String path) {
    return span -> span.kind() == SpanKind.SPAN_KIND_CLIENT && method.equals(span.name())
        && String.valueOf(span.attribute("url.full")).endsWith(path);
  }
}
