package dev.tracelight.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Apache HttpClient 5 classic and async under the agent, oldest (5.0) and newest line, calling a JDK HttpServer in
 * the same app; the newest run also goes through Spring's RestTemplate and RestClient (over HttpClient 5 and over the
 * JDK), which must give one CLIENT span per request, never two.
 */
class ApacheHttpClient5IT {
  private static final int STATUS_UNSET = 0;
  private static final int STATUS_ERROR = 2;

  @Test
  void oldestHttpClient5TracesClassicAndAsyncCallsAndPropagatesContext() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = run(receiver, "httpclient5-oldest");
      List<ReceivedSpan> spans = receiver.spans();
      assertHttpClientCalls(result, spans);
      assertAsyncCalls(result, spans);
      assertThat(spans).as("classic: 3 pairs and a refused call; async: 2 pairs").hasSize(11);
    }
  }

  @Test
  void newestHttpClient5AndSpringClientsOverItGiveOneClientSpanPerRequest() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = run(receiver, "httpclient5-spring6", "spring");
      List<ReceivedSpan> spans = receiver.spans();
      assertHttpClientCalls(result, spans);
      long port = Long.parseLong(result.line("PORT "));
      assertThat(result.line("REST-TEMPLATE ")).isEqualTo("got /rest-template");
      assertThat(result.line("REST-CLIENT ")).isEqualTo("got /rest-client");
      assertThat(result.line("REST-TEMPLATE-JDK ")).isEqualTo("got /rest-template-jdk");
      assertAsyncCalls(result, spans);
      for (String path : List.of("/rest-template", "/rest-client", "/rest-template-jdk")) {
        ReceivedSpan client = clientAndServer(spans, "http://127.0.0.1:" + port + path, 200);
        assertThat(client.parentSpanId()).isEmpty();
      }
      assertThat(spans).hasSize(17);
    }
  }

  private static ForkedApp.Result run(OtlpReceiver receiver, String libs, String... args) throws Exception {
    ForkedApp.Result result = ForkedApp.testMain("dev.tracelight.agent.it.apachehttpclient5.HttpClient5App",
        ForkedLibraries.itLibs(libs), args).exportingTo(receiver).run();
    assertThat(result.exitCode()).as(result.stderr()).isZero();
    return result;
  }

  /** The calls both HttpClient apps make (4 and 5 alike): names, attributes, status, server children. */
  static void assertHttpClientCalls(ForkedApp.Result result, List<ReceivedSpan> spans) {
    long port = Long.parseLong(result.line("PORT "));
    String base = "http://127.0.0.1:" + port;
    assertThat(result.line("GET ")).isEqualTo("200");
    assertThat(result.line("POST ")).isEqualTo("201");
    assertThat(result.line("MISSING ")).isEqualTo("404");

    ReceivedSpan get = clientAndServer(spans, base + "/items?page=2", 200);
    assertThat(get.name()).isEqualTo("GET");
    assertThat(get.statusCode()).isEqualTo(STATUS_UNSET);
    assertThat(get.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("http.request.method", "GET",
        "url.full", base + "/items?page=2", "server.address", "127.0.0.1", "server.port", port,
        "http.response.status_code", 200L, "network.protocol.version", "1.1"));

    ReceivedSpan post = clientAndServer(spans, base + "/orders", 201);
    assertThat(post.name()).as("target host and relative path make the full URL").isEqualTo("POST");
    assertThat(post.attributes()).contains(entry("http.request.method", "POST"));

    ReceivedSpan missing = clientAndServer(spans, base + "/missing", 404);
    assertThat(missing.statusCode()).as("4xx is an error for the client").isEqualTo(STATUS_ERROR);
    assertThat(missing.attributes()).contains(entry("error.type", "404"));

    String[] refused = result.line("REFUSED ").split(" ");
    ReceivedSpan failed = only(spans, s -> s.kind() == SpanKind.SPAN_KIND_CLIENT
        && ("http://127.0.0.1:" + refused[0] + "/refused").equals(s.attribute("url.full")));
    assertThat(failed.statusCode()).isEqualTo(STATUS_ERROR);
    assertThat(failed.attributes()).contains(entry("error.type", refused[1]))
        .doesNotContainKey("http.response.status_code");
  }

  /** The async client, through its Future and through a callback: one root CLIENT span each, named and attributed
   * like a classic call (status and protocol from the consumer), with the server's span as its child. */
  private static void assertAsyncCalls(ForkedApp.Result result, List<ReceivedSpan> spans) {
    long port = Long.parseLong(result.line("PORT "));
    assertThat(result.line("ASYNC ")).isEqualTo("200 got /async-items");
    assertThat(result.line("ASYNC-CALLBACK ")).isEqualTo("200 got /async-callback");
    for (String path : List.of("/async-items", "/async-callback")) {
      String url = "http://127.0.0.1:" + port + path;
      ReceivedSpan client = clientAndServer(spans, url, 200);
      assertThat(client.name()).isEqualTo("GET");
      assertThat(client.parentSpanId()).isEmpty();
      assertThat(client.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("http.request.method", "GET",
          "url.full", url, "server.address", "127.0.0.1", "server.port", port, "http.response.status_code", 200L,
          "network.protocol.version", "1.1"));
    }
  }

  /** The one CLIENT span for {@code url}, with the one SERVER span it caused as its child in the same trace. */
  private static ReceivedSpan clientAndServer(List<ReceivedSpan> spans, String url, long status) {
    ReceivedSpan client =
        only(spans, s -> s.kind() == SpanKind.SPAN_KIND_CLIENT && url.equals(s.attribute("url.full")));
    ReceivedSpan server = only(spans, s -> s.kind() == SpanKind.SPAN_KIND_SERVER
        && s.parentSpanId().equals(client.spanId()));
    assertThat(server.traceId()).isEqualTo(client.traceId());
    assertThat(client.attributes()).contains(entry("http.response.status_code", status));
    assertThat(server.attributes()).contains(entry("http.response.status_code", status));
    return client;
  }

  private static ReceivedSpan only(List<ReceivedSpan> spans, java.util.function.Predicate<ReceivedSpan> filter) {
    List<ReceivedSpan> matching = spans.stream().filter(filter).toList();
    assertThat(matching).as("exactly one matching span in " + spans).hasSize(1);
    return matching.get(0);
  }
}
