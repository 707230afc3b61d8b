package dev.tracelight.bootstrap.reactornetty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.tracelight.bootstrap.Tracing;
import dev.tracelight.bootstrap.springwebflux.WebFluxSpans;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.InetSocketAddress;
import java.util.AbstractMap.SimpleEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reactor Netty's server and client spans from plain values, and WebFlux's route and error on them. */
class ReactorNettySpansTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

  @BeforeEach
  void installSdk() {
    Tracing.install(OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build(), "test");
  }

  @Test
  void serverSpanTakesRouteFromWebFluxAndAServerErrorWithItsException() {
    Object request = new Object();
    Object context;
    try (Scope ignored = ReactorNettyServerSpans.start(request, List.of(
            new SimpleEntry<>("TraceParent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
            new SimpleEntry<>("Host", "127.0.0.1:8080")), "GET", "http", "/users/7?x=1", "HTTP/1.1",
        new InetSocketAddress("127.0.0.1", 8080))) {
      context = WebFluxSpans.currentContext();
    }
    assertThat(Context.current()).as("nothing left current after the handler returned").isSameAs(Context.root());
    WebFluxSpans.route(context, "", "/users/{id}");
    IllegalStateException failure = new IllegalStateException("no user");
    WebFluxSpans.onError(context).accept(failure);
    ReactorNettyServerSpans.end(request, 500, List.of());
    ReactorNettyServerSpans.end(request, 500, List.of());

    assertThat(exporter.getFinishedSpanItems()).hasSize(1);
    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertThat(span.getName()).isEqualTo("GET /users/{id}");
    assertThat(span.getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(span.getParentSpanId()).isEqualTo("b7ad6b7169203331");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().asMap()).contains(
        entry(AttributeKey.stringKey("http.route"), "/users/{id}"),
        entry(AttributeKey.stringKey("url.path"), "/users/7"),
        entry(AttributeKey.stringKey("url.query"), "x=1"),
        entry(AttributeKey.longKey("http.response.status_code"), 500L),
        entry(AttributeKey.stringKey("error.type"), "java.lang.IllegalStateException"));
    assertThat(span.getEvents()).extracting(event -> event.getName()).containsExactly("exception");
  }

  @Test
  void errorAnsweredWithAClientStatusIsAnEventNotAServerFailure() {
    Object request = new Object();
    Object context;
    try (Scope ignored = ReactorNettyServerSpans.start(request, List.of(), "GET", "http", "/nothing", "HTTP/1.1",
        new InetSocketAddress("127.0.0.1", 8080))) {
      context = WebFluxSpans.currentContext();
    }
    WebFluxSpans.onError(context).accept(new IllegalArgumentException("not found"));
    ReactorNettyServerSpans.end(request, 404, List.of());

    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertThat(span.getName()).isEqualTo("GET");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type"))).isNull();
    assertThat(span.getEvents()).extracting(event -> event.getName()).containsExactly("exception");
  }

  @Test
  void clientSpanEndsOnceWithTheFirstOutcome() {
    Object handler = new Object();
    ReactorNettyClientSpans.start(handler, "GET", "http://127.0.0.1:9/a");
    Map<String, String> headers = ReactorNettyClientSpans.headers(handler);
    ReactorNettyClientSpans.end(handler, 200, 2, 0, null);
    ReactorNettyClientSpans.end(handler, -1, -1, -1, new IllegalStateException("late"));

    assertThat(exporter.getFinishedSpanItems()).hasSize(1);
    SpanData span = exporter.getFinishedSpanItems().get(0);
    assertThat(headers).containsOnlyKeys("traceparent");
    assertThat(headers.get("traceparent")).contains(span.getSpanId());
    assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(span.getAttributes().asMap()).contains(
        entry(AttributeKey.stringKey("network.protocol.version"), "2"),
        entry(AttributeKey.longKey("http.response.status_code"), 200L));
    assertThat(ReactorNettyClientSpans.headers(handler)).as("ended: nothing more to propagate").isEmpty();
  }

  @Test
  void protocolVersionIsMajorDotMinorExceptForHttp2AndLater() {
    assertThat(ReactorNettyClientSpans.protocolVersion(1, 1)).isEqualTo("1.1");
    assertThat(ReactorNettyClientSpans.protocolVersion(1, 0)).isEqualTo("1.0");
    assertThat(ReactorNettyClientSpans.protocolVersion(2, 0)).isEqualTo("2");
    assertThat(ReactorNettyClientSpans.protocolVersion(-1, -1)).isNull();
  }
}
