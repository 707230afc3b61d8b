package dev.tracelight.itweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.tracelight.itweb.OtlpHttpReceiver.HistogramPoint;
import dev.tracelight.itweb.OtlpHttpReceiver.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Two Spring Boot 3.5 services under the agent: a request to the front (Tomcat + Spring MVC) calls the backend with
 * RestClient (Apache HttpClient 5) and WebClient (Reactor Netty). Everything must be one trace of five spans with
 * routes on the server spans, and both services must export the HTTP duration histograms.
 */
class TwoBootServicesIT {
  private static final List<Double> SPEC_BUCKETS =
      List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

  @Test
  void requestAcrossTwoBootServicesIsOneTraceWithRoutesAndMetrics() throws Exception {
    String body;
    long backendPort;
    long frontPort;
    try (OtlpHttpReceiver receiver = new OtlpHttpReceiver()) {
      try (BootService backend = BootService.start("backend", receiver.endpoint());
          BootService front = BootService.start("front", receiver.endpoint(),
              "--backend.url=http://127.0.0.1:" + backend.port())) {
        backendPort = backend.port();
        frontPort = front.port();
        HttpResponse<String> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + frontPort + "/front/7")).build(),
            HttpResponse.BodyHandlers.ofString());
        body = response.statusCode() + " " + response.body();
      }
      assertThat(body).isEqualTo("200 item 7 costs 47 EUR");

      List<ReceivedSpan> spans = receiver.spans();
      assertThat(spans).as("exactly the five spans of the request").hasSize(5);
      ReceivedSpan frontServer = only(spans, s -> s.kind() == SpanKind.SPAN_KIND_SERVER && "front".equals(s.service()));
      assertThat(frontServer.name()).isEqualTo("GET /front/{id}");
      assertThat(frontServer.parentSpanId()).as("the test's request carries no context").isEmpty();
      assertThat(frontServer.attributes()).contains(entry("http.route", "/front/{id}"), entry("url.path", "/front/7"),
          entry("http.response.status_code", 200L), entry("server.port", frontPort));

      ReceivedSpan restClient = childOf(spans, frontServer, "http://127.0.0.1:" + backendPort + "/api/items/7");
      ReceivedSpan webClient = childOf(spans, frontServer, "http://127.0.0.1:" + backendPort + "/api/prices/7");
      ReceivedSpan items = serverUnder(spans, restClient);
      ReceivedSpan prices = serverUnder(spans, webClient);
      assertThat(items.name()).isEqualTo("GET /api/items/{id}");
      assertThat(items.attributes())
          .contains(entry("http.route", "/api/items/{id}"), entry("url.path", "/api/items/7"));
      assertThat(prices.name()).isEqualTo("GET /api/prices/{id}");
      assertThat(prices.attributes()).contains(entry("http.route", "/api/prices/{id}"));
      assertThat(spans).extracting(ReceivedSpan::traceId).containsOnly(frontServer.traceId());

      List<HistogramPoint> server = receiver.histogramPoints("http.server.request.duration");
      assertThat(server).isNotEmpty().allSatisfy(p -> {
        assertThat(p.unit()).isEqualTo("s");
        assertThat(p.bounds()).isEqualTo(SPEC_BUCKETS);
      });
      assertThat(server.stream().map(p -> entry(p.service(), p.attributes())).distinct()).containsExactlyInAnyOrder(
          entry("front", serverPoint("/front/{id}")), entry("backend", serverPoint("/api/items/{id}")),
          entry("backend", serverPoint("/api/prices/{id}")));
      assertThat(receiver.histogramPoints("http.client.request.duration").stream()
              .map(p -> entry(p.service(), p.attributes())).distinct())
          .as("RestClient and WebClient calls, both with the response's protocol version")
          .containsExactly(entry("front", Map.of("http.request.method", "GET", "server.address", "127.0.0.1",
              "server.port", backendPort, "http.response.status_code", 200L, "network.protocol.version", "1.1")));
    }
  }

  private static Map<String, Object> serverPoint(String route) {
    return Map.of("http.request.method", "GET", "http.response.status_code", 200L, "network.protocol.version", "1.1",
        "url.scheme", "http", "http.route", route);
  }

  private static ReceivedSpan childOf(List<ReceivedSpan> spans, ReceivedSpan parent, String url) {
    ReceivedSpan client =
        only(spans, s -> s.kind() == SpanKind.SPAN_KIND_CLIENT && url.equals(s.attribute("url.full")));
    assertThat(client.name()).isEqualTo("GET");
    assertThat(client.service()).isEqualTo("front");
    assertThat(client.parentSpanId()).isEqualTo(parent.spanId());
    assertThat(client.attributes()).contains(entry("http.response.status_code", 200L));
    return client;
  }

  private static ReceivedSpan serverUnder(List<ReceivedSpan> spans, ReceivedSpan client) {
    ReceivedSpan server = only(spans, s -> s.kind() == SpanKind.SPAN_KIND_SERVER
        && s.parentSpanId().equals(client.spanId()));
    assertThat(server.service()).isEqualTo("backend");
    return server;
  }

  private static ReceivedSpan only(List<ReceivedSpan> spans, Predicate<ReceivedSpan> filter) {
    List<ReceivedSpan> matching = spans.stream().filter(filter).toList();
    assertThat(matching).as("exactly one matching span in " + spans).hasSize(1);
    return matching.get(0);
  }
}
