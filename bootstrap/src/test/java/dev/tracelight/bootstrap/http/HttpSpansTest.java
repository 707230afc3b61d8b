package dev.tracelight.bootstrap.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.sun.net.httpserver.Headers;
import dev.tracelight.bootstrap.Suppression;
import dev.tracelight.bootstrap.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the bootstrap helpers make of plain request values: names, attributes, links and status. */
class HttpSpansTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

  @BeforeEach
  void installSdk() {
    Tracing.install(OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build(), "test");
  }

  @Test
  void serverSpanContinuesTheCallersTraceAndIsNamedByMethodOnly() {
    Map<String, List<String>> headers = Map.of(
        "Traceparent", List.of("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
        "Host", List.of("shop.example:8080"),
        "User-agent", List.of("curl/8"));
    HttpCall call = HttpServerSpans.start(headers, "GET", "http", URI.create("/users/42?x=1"), "HTTP/1.1",
        new InetSocketAddress("127.0.0.1", 9999), null);
    HttpServerSpans.end(call, 200, null);

    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertThat(span.getName()).isEqualTo("GET");
    assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(span.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(span.getParentSpanId()).isEqualTo("b7ad6b7169203331");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(span.getAttributes().asMap()).containsOnly(
        entry(AttributeKey.stringKey("http.request.method"), "GET"),
        entry(AttributeKey.stringKey("url.scheme"), "http"),
        entry(AttributeKey.stringKey("url.path"), "/users/42"),
        entry(AttributeKey.stringKey("url.query"), "x=1"),
        entry(AttributeKey.stringKey("server.address"), "shop.example"),
        entry(AttributeKey.longKey("server.port"), 8080L),
        entry(AttributeKey.stringKey("network.protocol.version"), "1.1"),
        entry(AttributeKey.stringKey("user_agent.original"), "curl/8"),
        entry(AttributeKey.longKey("http.response.status_code"), 200L));
  }

  @Test
  void serverSpanReadsTheJdkServersHeadersWhicheverCaseTheyCameIn() {
    Headers headers = new Headers();
    headers.add("TRACEPARENT", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    headers.add("host", "shop.example:8080");
    HttpServerSpans.end(HttpServerSpans.start(headers, "GET", "http", URI.create("/"), "HTTP/1.1", null, null), 200,
        null);

    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertThat(span.getParentSpanId()).isEqualTo("b7ad6b7169203331");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("server.address"))).isEqualTo("shop.example");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("user_agent.original"))).isNull();
  }

  @Test
  void serverSpanUsesTheRouteWhenTheLibraryKnowsIt() {
    HttpCall call = HttpServerSpans.start(Map.of(), "POST", "https", URI.create("/users/42"), "HTTP/2.0", null,
        "/users/{id}");
    HttpServerSpans.end(call, 201, null);
    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertThat(span.getName()).isEqualTo("POST /users/{id}");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("http.route"))).isEqualTo("/users/{id}");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("network.protocol.version"))).isEqualTo("2");
  }

  @Test
  void nestedServerCallOnTheSameThreadMakesNoSecondSpan() {
    HttpCall outer = HttpServerSpans.start(Map.of(), "GET", "http", URI.create("/"), "HTTP/1.1", null, null);
    assertThat(HttpServerSpans.start(Map.of(), "GET", "http", URI.create("/"), "HTTP/1.1", null, null)).isNull();
    HttpServerSpans.end(outer, 200, null);
    assertThat(exporter.getFinishedSpanItems()).hasSize(1);
    assertThat(Context.current()).isSameAs(Context.root());
  }

  @Test
  void serverErrorMarksTheServerSpanButNotFoundDoesNot() {
    HttpServerSpans.end(HttpServerSpans.start(Map.of(), "GET", "http", URI.create("/a"), null, null, null), 500, null);
    HttpServerSpans.end(HttpServerSpans.start(Map.of(), "GET", "http", URI.create("/b"), null, null, null), 404, null);
    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertThat(spans.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(spans.get(0).getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("500");
    assertThat(spans.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(spans.get(1).getAttributes().get(AttributeKey.stringKey("error.type"))).isNull();
  }

  @Test
  void unknownMethodIsReportedAsOther() {
    HttpServerSpans.end(HttpServerSpans.start(Map.of(), "PURGE", "http", URI.create("/"), null, null, null), 200,
        null);
    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertThat(span.getName()).isEqualTo("HTTP");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("http.request.method"))).isEqualTo("_OTHER");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("http.request.method_original"))).isEqualTo("PURGE");
  }

  @Test
  void clientSpanRedactsTheUrlAndMarksClientErrors() {
    HttpCall call = HttpClientSpans.start("GET", URI.create("https://bob:pw@api.example/items?sig=abc"));
    assertThat(HttpClientSpans.headersFor(call)).containsKey("traceparent");
    HttpClientSpans.end(call, 404, "2", null);
    HttpClientSpans.end(call, 200, "2", null); // a second end (re-entrant path) changes nothing

    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertThat(exporter.getFinishedSpanItems()).hasSize(1);
    assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(span.getName()).isEqualTo("GET");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().asMap()).containsOnly(
        entry(AttributeKey.stringKey("http.request.method"), "GET"),
        entry(AttributeKey.stringKey("url.full"), "https://REDACTED:REDACTED@api.example/items?sig=REDACTED"),
        entry(AttributeKey.stringKey("server.address"), "api.example"),
        entry(AttributeKey.longKey("server.port"), 443L),
        entry(AttributeKey.longKey("http.response.status_code"), 404L),
        entry(AttributeKey.stringKey("network.protocol.version"), "2"),
        entry(AttributeKey.stringKey("error.type"), "404"));
  }

  @Test
  void clientFailureWithoutResponseIsNamedByTheException() {
    HttpCall call = HttpClientSpans.start("POST", URI.create("http://127.0.0.1:1/"));
    HttpClientSpans.end(call, -1, null, new ConnectException("refused"));
    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("java.net.ConnectException");
    assertThat(span.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isNull();
  }

  @Test
  void clientSpanIsAChildOfTheCurrentSpanAndNotNestedInAnother() {
    HttpCall server = HttpServerSpans.start(Map.of(), "GET", "http", URI.create("/"), null, null, null);
    HttpCall client = HttpClientSpans.start("GET", URI.create("http://b/"));
    try (Scope ignored = client.context().makeCurrent()) {
      assertThat(HttpClientSpans.start("GET", URI.create("http://b/"))).isNull();
    }
    HttpClientSpans.end(client, 200, null, null);
    HttpServerSpans.end(server, 200, null);
    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertThat(spans).hasSize(2);
    assertThat(spans.get(0).getParentSpanId()).isEqualTo(spans.get(1).getSpanId());
  }

  @Test
  void agentsOwnExportIsNeverTraced() {
    try (Scope ignored = Suppression.suppressed().makeCurrent()) {
      assertThat(HttpClientSpans.start("POST", URI.create("http://collector:4318/v1/traces"))).isNull();
    }
  }

  @Test
  void eachServerSpanTakesServerAddressFromItsOwnHostHeader() {
    for (String host : List.of("a.example:8080", "b.example", "a.example:8080", "[::1]:9090")) {
      HttpServerSpans.end(HttpServerSpans.start(Map.of("Host", List.of(host)), "GET", "http", URI.create("/"),
          "HTTP/1.1", null, null), 200, null);
    }
    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertThat(spans).extracting(span -> span.getAttributes().get(AttributeKey.stringKey("server.address")))
        .containsExactly("a.example", "b.example", "a.example", "[::1]");
    assertThat(spans).extracting(span -> span.getAttributes().get(AttributeKey.longKey("server.port")))
        .containsExactly(8080L, null, 8080L, 9090L);
  }

  @Test
  void exactlyNamedHeaderWinsOverTheSameNameInAnotherCase() {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    headers.put("TRACEPARENT", List.of("00-11111111111111111111111111111111-2222222222222222-01"));
    headers.put("traceparent", List.of("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
    HttpServerSpans.end(HttpServerSpans.start(headers, "GET", "http", URI.create("/"), null, null, null), 200, null);
    assertThat(exporter.getFinishedSpanItems().get(0).getParentSpanId()).isEqualTo("b7ad6b7169203331");
  }

  @Test
  void propagatorReadingHeadersBeyondItsDeclaredFieldsStillFindsThem() {
    TextMapPropagator w3c = W3CTraceContextPropagator.getInstance();
    TextMapPropagator undeclared = new TextMapPropagator() {
      @Override
      public Collection<String> fields() {
        return List.of();
      }

      @Override
      public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
        w3c.inject(context, carrier, setter);
      }

      @Override
      public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
        return w3c.extract(context, carrier, getter);
      }
    };
    Tracing.install(OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .setPropagators(ContextPropagators.create(undeclared))
        .build(), "test");
    Map<String, List<String>> headers =
        Map.of("TraceParent", List.of("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
    HttpServerSpans.end(HttpServerSpans.start(headers, "GET", "http", URI.create("/"), null, null, null), 200, null);
    assertThat(exporter.getFinishedSpanItems().get(0).getParentSpanId()).isEqualTo("b7ad6b7169203331");
  }

  @Test
  void clientSpanOfAUrlHasTheAttributesOfTheSameUri() throws Exception {
    for (String url : List.of("http://api.example:8080/items?id=1", "https://bob:pw@api.example/a?sig=x")) {
      HttpClientSpans.end(HttpClientSpans.start("GET", URI.create(url)), 200, "1.1", null);
      HttpClientSpans.end(HttpClientSpans.start("GET", new URL(url)), 200, "1.1", null);
    }
    List<SpanData> spans = exporter.getFinishedSpanItems();
    assertThat(spans).hasSize(4);
    assertThat(spans.get(1).getAttributes()).isEqualTo(spans.get(0).getAttributes());
    assertThat(spans.get(3).getAttributes()).isEqualTo(spans.get(2).getAttributes());
    assertThat(spans.get(0).getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo(8080L);
    assertThat(spans.get(2).getAttributes().get(AttributeKey.stringKey("url.full")))
        .isEqualTo("https://REDACTED:REDACTED@api.example/a?sig=REDACTED");
  }

  @Test
  void clientContextIsInjectedStraightIntoTheRequest() {
    HttpCall call = HttpClientSpans.start("GET", URI.create("http://b/"));
    Map<String, String> request = new LinkedHashMap<>();
    HttpClientSpans.inject(call, request, Map::put);
    HttpClientSpans.end(call, 200, null, null);
    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertThat(request).isEqualTo(HttpClientSpans.headersFor(call)).containsOnlyKeys("traceparent");
    assertThat(request.get("traceparent")).startsWith("00-" + span.getTraceId() + "-" + span.getSpanId() + "-");
  }
}
