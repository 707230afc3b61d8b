package dev.tracelight.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** OkHttp 4.12 and 5.5 under the agent: one CLIENT span per call (sync, async, redirected), linked to the server. */
class OkHttpIT {
  private static final int STATUS_ERROR = 2;

  @Test
  void okHttp4TracesSyncAsyncRedirectedAndFailedCalls() throws Exception {
    assertOkHttpCalls("okhttp4");
  }

  @Test
  void okHttp5TracesSyncAsyncRedirectedAndFailedCalls() throws Exception {
    assertOkHttpCalls("okhttp5");
  }

  private static void assertOkHttpCalls(String libs) throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = ForkedApp.testMain("dev.tracelight.agent.it.okhttp.OkHttpApp",
          ForkedLibraries.itLibs(libs)).exportingTo(receiver).run();
      assertThat(result.exitCode()).as(result.stderr()).isZero();
      assertThat(result.line("SYNC ")).isEqualTo("200 got /items");
      assertThat(result.line("ASYNC ")).isEqualTo("200 got /async");
      assertThat(result.line("REDIRECT ")).isEqualTo("200 got /new");
      assertThat(result.line("FAIL ")).isEqualTo("500 got /fail");
      long port = Long.parseLong(result.line("PORT "));
      String base = "http://127.0.0.1:" + port;
      List<ReceivedSpan> spans = receiver.spans();

      ReceivedSpan sync = only(spans, client(base + "/items?page=1"));
      assertThat(sync.name()).isEqualTo("GET");
      assertThat(sync.parentSpanId()).isEmpty();
      assertThat(sync.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("http.request.method", "GET",
          "url.full", base + "/items?page=1", "server.address", "127.0.0.1", "server.port", port,
          "http.response.status_code", 200L, "network.protocol.version", "1.1"));
      assertServerChild(spans, sync, "/items");
      assertServerChild(spans, only(spans, client(base + "/async")), "/async");

      ReceivedSpan redirect = only(spans, client(base + "/old"));
      assertThat(redirect.attributes()).as("one span for the call, the redirect followed inside it")
          .contains(entry("http.response.status_code", 200L));
      List<ReceivedSpan> hops = spans.stream().filter(s -> s.kind() == SpanKind.SPAN_KIND_SERVER
          && s.parentSpanId().equals(redirect.spanId())).toList();
      assertThat(hops).extracting(s -> s.attribute("url.path")).containsExactlyInAnyOrder("/old", "/new");

      ReceivedSpan fail = only(spans, client(base + "/fail"));
      assertThat(fail.statusCode()).isEqualTo(STATUS_ERROR);
      assertThat(fail.attributes()).contains(entry("error.type", "500"));

      String[] refused = result.line("REFUSED ").split(" ");
      ReceivedSpan failed = only(spans, client("http://127.0.0.1:" + refused[0] + "/refused"));
      assertThat(failed.statusCode()).isEqualTo(STATUS_ERROR);
      assertThat(failed.attributes()).contains(entry("error.type", refused[1]));

      assertThat(spans).as("5 CLIENT spans; 5 SERVER spans: the redirect is two requests, the refused one none")
          .hasSize(10);
    }
  }

  private static void assertServerChild(List<ReceivedSpan> spans, ReceivedSpan client, String path) {
    ReceivedSpan server = only(spans, s -> s.kind() == SpanKind.SPAN_KIND_SERVER
        && s.parentSpanId().equals(client.spanId()));
    assertThat(server.traceId()).isEqualTo(client.traceId());
    assertThat(server.attribute("url.path")).isEqualTo(path);
  }

  private static Predicate<ReceivedSpan> client(String url) {
    return s -> s.kind() == SpanKind.SPAN_KIND_CLIENT && url.equals(s.attribute("url.full"));
  }

  private static ReceivedSpan only(List<ReceivedSpan> spans, Predicate<ReceivedSpan> filter) {
    List<ReceivedSpan> matching = spans.stream().filter(filter).toList();
    assertThat(matching).as("exactly one matching span in " + spans).hasSize(1);
    return matching.get(0);
  }
}
