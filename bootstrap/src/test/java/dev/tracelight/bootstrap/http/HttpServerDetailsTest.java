package dev.tracelight.bootstrap.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.tracelight.bootstrap.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Routes, client.address, handled exceptions and the duration histograms of server and client calls. */
class HttpServerDetailsTest {
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();

  @BeforeEach
  void installSdk() {
    Tracing.install(OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build(), "test");
  }

  @Test
  void routeFromTheFrameworkNamesTheSpanAndGoesOnTheMetric() {
    HttpCall call = HttpServerSpans.start(Map.of(), "GET", "http", URI.create("/users/42"), "HTTP/1.1",
        new InetSocketAddress("127.0.0.1", 8080), null);
    HttpServerSpans.updateRoute("/users/{id}");
    HttpServerSpans.recordException(new IllegalStateException("handled"));
    HttpServerSpans.end(call, 404, null);

    SpanData span = spans.getFinishedSpanItems().get(0);
    assertThat(span.getName()).isEqualTo("GET /users/{id}");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("http.route"))).isEqualTo("/users/{id}");
    assertThat(span.getEvents()).singleElement().satisfies(event -> assertThat(event.getName()).isEqualTo("exception"));
    MetricData metric = metric("http.server.request.duration");
    assertThat(metric.getUnit()).isEqualTo("s");
    HistogramPointData point = metric.getHistogramData().getPoints().iterator().next();
    assertThat(point.getBoundaries()).isEqualTo(HttpMetrics.BUCKETS);
    assertThat(point.getCount()).isEqualTo(1);
    assertThat(point.getAttributes()).isEqualTo(Attributes.builder()
        .put("http.request.method", "GET")
        .put("url.scheme", "http")
        .put("http.route", "/users/{id}")
        .put("http.response.status_code", 404L)
        .put("network.protocol.version", "1.1")
        .build());
  }

  @Test
  void clientMetricCarriesServerAddressAndErrorTypeButNotTheUrl() {
    HttpCall call = HttpClientSpans.start("POST", URI.create("http://shop.example:8081/orders?id=1"));
    HttpClientSpans.end(call, 503, "1.1", null);

    HistogramPointData point =
        metric("http.client.request.duration").getHistogramData().getPoints().iterator().next();
    assertThat(point.getAttributes()).isEqualTo(Attributes.builder()
        .put("http.request.method", "POST")
        .put("server.address", "shop.example")
        .put("server.port", 8081L)
        .put("http.response.status_code", 503L)
        .put("error.type", "503")
        .put("network.protocol.version", "1.1")
        .build());
  }

  @Test
  void eachMeasurementKeepsItsOwnAttributesWhenRequestsAlternate() {
    // Attribute sets are reused between alike requests: interleaved ones must still land on their own points.
    for (int i = 0; i < 3; i++) {
      serverCall("GET", "/users/{id}", 200);
      serverCall("GET", "/users/{id}", 500);
      serverCall("POST", "/orders", 200);
      clientCall("http://shop.example:8081/orders");
      clientCall("http://stock.example:8081/orders");
    }
    serverCall("GET", "/users/{id}", 200);

    assertThat(counts("http.server.request.duration")).containsOnly(
        entry(serverAttributes("GET", "/users/{id}", 200), 4L),
        entry(serverAttributes("GET", "/users/{id}", 500).toBuilder().put("error.type", "500").build(), 3L),
        entry(serverAttributes("POST", "/orders", 200), 3L));
    assertThat(counts("http.client.request.duration")).containsOnly(
        entry(clientAttributes("shop.example"), 3L),
        entry(clientAttributes("stock.example"), 3L));
  }

  @Test
  void clientAddressComesFromForwardedThenXForwardedFor() {
    assertThat(ServerRequestDetails.clientAddress("for=\"[2001:db8::1]:4711\";proto=https, for=10.0.0.2", "1.1.1.1"))
        .isEqualTo("2001:db8::1");
    assertThat(ServerRequestDetails.clientAddress("proto=https;For=192.0.2.60:8080", null)).isEqualTo("192.0.2.60");
    assertThat(ServerRequestDetails.clientAddress(null, "203.0.113.195, 70.41.3.18")).isEqualTo("203.0.113.195");
    assertThat(ServerRequestDetails.clientAddress(null, "2001:db8::2")).isEqualTo("2001:db8::2");
    assertThat(ServerRequestDetails.clientAddress("for=unknown", null)).isNull();
    assertThat(ServerRequestDetails.clientAddress(null, null)).isNull();
  }

  @Test
  void serverSpanCarriesClientAddressFromTheProxyHeader() {
    HttpCall call = HttpServerSpans.start(Map.of("X-Forwarded-For", List.of("203.0.113.195, 10.0.0.1")), "GET",
        "http", URI.create("/"), "HTTP/1.1", null, null);
    HttpServerSpans.end(call, 200, null);

    assertThat(spans.getFinishedSpanItems().get(0).getAttributes().get(AttributeKey.stringKey("client.address")))
        .isEqualTo("203.0.113.195");
  }

  @Test
  void requestHeaderNamesHoldThePropagationFieldsAndWhatTheSpanReads() {
    assertThat(HttpServerSpans.requestHeaderNames())
        .containsExactly("traceparent", "tracestate", "host", "user-agent", "forwarded", "x-forwarded-for");
  }

  private static void serverCall(String method, String route, int status) {
    HttpServerSpans.end(HttpServerSpans.start(Map.of(), method, "http", URI.create("/x"), "HTTP/1.1", null, route),
        status, null);
  }

  private static void clientCall(String url) {
    HttpClientSpans.end(HttpClientSpans.start("GET", URI.create(url)), 200, "1.1", null);
  }

  private static Attributes serverAttributes(String method, String route, long status) {
    return Attributes.builder().put("http.request.method", method).put("url.scheme", "http")
        .put("http.route", route).put("http.response.status_code", status).put("network.protocol.version", "1.1")
        .build();
  }

  private static Attributes clientAttributes(String host) {
    return Attributes.builder().put("http.request.method", "GET").put("server.address", host)
        .put("server.port", 8081L).put("http.response.status_code", 200L).put("network.protocol.version", "1.1")
        .build();
  }

  private Map<Attributes, Long> counts(String name) {
    Map<Attributes, Long> counts = new HashMap<>();
    metric(name).getHistogramData().getPoints().forEach(point -> counts.put(point.getAttributes(), point.getCount()));
    return counts;
  }

  private MetricData metric(String name) {
    return metrics.collectAllMetrics().stream().filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
  }
}
