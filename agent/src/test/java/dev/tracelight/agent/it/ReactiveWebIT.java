package dev.tracelight.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Spring WebFlux on Reactor Netty calling a plain Reactor Netty backend, under the agent, oldest and newest line:
 * Reactor Netty 1.0 + Spring 5.3 + Reactor 3.4, and Reactor Netty 1.2 + Spring 6.2 + Reactor 3.7, each from its own
 * class path in target/it-libs (app: {@code it.reactive.ReactiveApp}). Exact traces: routes of an annotated
 * controller and of a functional route, a chain hopping schedulers whose JDK HttpClient and WebClient calls are
 * children of its SERVER span, a failing handler, two concurrent requests that keep their own traces, and Reactor
 * Netty's HttpClient used directly (plain, redirected, 503, refused, cancelled by the caller while the server works).
 */
class ReactiveWebIT {
  private static final int STATUS_UNSET = 0;
  private static final int STATUS_ERROR = 2;
  private static final String JDK_AGENT = "Java-http-client/" + System.getProperty("java.version");

  @Test
  void reactorNetty10WithSpring53TracesRoutesChainsErrorsAndClientCalls() throws Exception {
    assertReactiveApp("reactor-netty10-spring5", "1.0.39");
  }

  @Test
  void reactorNetty12WithSpring62TracesRoutesChainsErrorsAndClientCalls() throws Exception {
    assertReactiveApp("reactor-netty12-spring6", "1.2.11");
  }

  private static void assertReactiveApp(String libs, String reactorNettyVersion) throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = ForkedApp.testMain("dev.tracelight.agent.it.reactive.ReactiveApp", ForkedLibraries.itLibs(libs))
          .exportingTo(receiver)
          .env("OTEL_METRICS_EXPORTER", "otlp")
          .env("OTEL_INSTRUMENTATION_HTTP_SERVER_CAPTURE_REQUEST_HEADERS", "X-Tenant")
          .env("OTEL_INSTRUMENTATION_HTTP_SERVER_CAPTURE_RESPONSE_HEADERS", "x-served-by")
          .run();
      assertThat(result.exitCode()).as(result.stderr()).isZero();
      assertThat(result.line("/users/42?verbose=true ")).isEqualTo("200 user 42");
      assertThat(result.line("/fn/items/7 ")).isEqualTo("200 item 7");
      assertThat(result.line("/chain/1 ")).isEqualTo("200 backend jdk-1, backend web-1, backend again-1");
      assertThat(result.line("/fail/9 ")).startsWith("500");
      assertThat(result.line("/pair/a ")).as("both requests were in flight at once")
          .isEqualTo("200 backend pair-a together");
      assertThat(result.line("/pair/b ")).isEqualTo("200 backend pair-b together");
      assertThat(result.line("direct ")).isEqualTo("200 backend direct");
      assertThat(result.line("redirect ")).isEqualTo("200 backend moved");
      assertThat(result.line("broken ")).isEqualTo("503 ");
      assertThat(result.line("hang arrived ")).isEqualTo("true");
      assertThat(result.line("hang cancelled ")).isEqualTo("true");
      long port = Long.parseLong(result.line("PORT "));
      long backend = Long.parseLong(result.line("BACKEND "));
      long closed = Long.parseLong(result.line("CLOSED "));
      String refused = result.line("REFUSED ");
      String backendUrl = "http://127.0.0.1:" + backend;
      assertThat(result.agentLogLines()).isEmpty();

      List<ReceivedSpan> spans = receiver.spans();
      assertThat(spans).as("2 per plain request, 8 for the chain, 4 per pair, 2+3+2+2+1 for the direct calls")
          .hasSize(32);

      ReceivedSpan user = serverFor(spans, "/users/42");
      assertThat(user.name()).isEqualTo("GET /users/{id}");
      assertThat(user.statusCode()).isEqualTo(STATUS_UNSET);
      assertThat(user.attributes()).containsOnlyKeys("http.request.method", "url.scheme", "url.path", "url.query",
              "http.route", "server.address", "server.port", "network.protocol.version", "user_agent.original",
              "client.address", "http.request.header.x-tenant", "http.response.status_code",
              "http.response.header.x-served-by")
          .contains(entry("http.request.method", "GET"), entry("url.scheme", "http"), entry("url.path", "/users/42"),
              entry("url.query", "verbose=true"), entry("http.route", "/users/{id}"),
              entry("server.address", "127.0.0.1"), entry("server.port", port),
              entry("network.protocol.version", "1.1"), entry("user_agent.original", JDK_AGENT),
              entry("client.address", "203.0.113.9"), entry("http.response.status_code", 200L));
      assertThat(user.attribute("http.request.header.x-tenant").toString()).contains("string_value: \"acme\"");
      assertThat(user.attribute("http.response.header.x-served-by").toString()).contains("string_value: \"webflux\"");

      ReceivedSpan item = serverFor(spans, "/fn/items/7");
      assertThat(item.name()).as("functional route").isEqualTo("GET /fn/items/{id}");
      assertThat(item.attributes()).contains(entry("http.route", "/fn/items/{id}"),
          entry("http.response.status_code", 200L));

      ReceivedSpan chain = serverFor(spans, "/chain/1");
      assertThat(chain.name()).isEqualTo("GET /chain/{id}");
      ReceivedSpan jdkCall = clientCall(spans, backendUrl + "/backend/jdk-1");
      ReceivedSpan webClientCall = clientCall(spans, backendUrl + "/backend/web-1");
      assertThat(jdkCall.parentSpanId()).as("JDK HttpClient on boundedElastic, after a timer and publishOn")
          .isEqualTo(chain.spanId());
      assertThat(webClientCall.parentSpanId()).as("WebClient after the chain's hops").isEqualTo(chain.spanId());
      assertThat(webClientCall.attributes()).as("WebClient: one CLIENT span, from Reactor Netty's HttpClient")
          .isEqualTo(Map.of("http.request.method", "GET", "url.full", backendUrl + "/backend/web-1",
              "server.address", "127.0.0.1", "server.port", backend, "http.response.status_code", 200L,
              "network.protocol.version", "1.1"));
      ReceivedSpan fromEventLoop = clientCall(spans, backendUrl + "/backend/again-1");
      assertThat(fromEventLoop.parentSpanId()).as("WebClient subscribed on the event loop of the previous response")
          .isEqualTo(chain.spanId());
      assertThat(backendServer(spans, "/backend/again-1").parentSpanId()).isEqualTo(fromEventLoop.spanId());
      ReceivedSpan webBackend = backendServer(spans, "/backend/web-1");
      assertThat(webBackend.parentSpanId()).isEqualTo(webClientCall.spanId());
      assertThat(backendServer(spans, "/backend/jdk-1").parentSpanId()).isEqualTo(jdkCall.spanId());
      assertThat(webBackend.attributes()).as("a plain Reactor Netty server, route from its own HttpServerRoutes")
          .isEqualTo(Map.of("http.request.method", "GET", "url.scheme", "http", "url.path", "/backend/web-1",
              "http.route", "/backend/{name}", "server.address", "127.0.0.1", "server.port", backend,
              "network.protocol.version", "1.1", "user_agent.original", "ReactorNetty/" + reactorNettyVersion,
              "http.response.status_code", 200L));
      assertThat(List.of(jdkCall, webClientCall, webBackend, fromEventLoop)).extracting(ReceivedSpan::traceId)
          .containsOnly(chain.traceId());

      ReceivedSpan failed = serverFor(spans, "/fail/9");
      assertThat(failed.name()).isEqualTo("GET /fail/{id}");
      assertThat(failed.statusCode()).isEqualTo(STATUS_ERROR);
      assertThat(failed.attributes()).contains(entry("http.response.status_code", 500L),
          entry("error.type", "java.lang.IllegalStateException"), entry("http.route", "/fail/{id}"));
      assertThat(failed.events()).singleElement().satisfies(event -> assertThat(event).contains(
          entry("event.name", "exception"), entry("exception.type", "java.lang.IllegalStateException"),
          entry("exception.message", "no user 9")));

      for (String id : List.of("a", "b")) {
        ReceivedSpan pair = serverFor(spans, "/pair/" + id);
        ReceivedSpan call = clientCall(spans, backendUrl + "/backend/pair-" + id);
        assertThat(call.parentSpanId()).as("pair " + id + " keeps its own context").isEqualTo(pair.spanId());
        assertThat(backendServer(spans, "/backend/pair-" + id).parentSpanId()).isEqualTo(call.spanId());
        assertThat(call.traceId()).isEqualTo(pair.traceId());
      }
      assertThat(serverFor(spans, "/pair/a").traceId()).isNotEqualTo(serverFor(spans, "/pair/b").traceId());

      ReceivedSpan direct = clientCall(spans, backendUrl + "/backend/direct");
      assertThat(direct.parentSpanId()).as("called from main, no context").isEmpty();
      assertThat(direct.statusCode()).isEqualTo(STATUS_UNSET);
      assertThat(direct.attributes()).isEqualTo(Map.of("http.request.method", "GET",
          "url.full", backendUrl + "/backend/direct", "server.address", "127.0.0.1", "server.port", backend,
          "http.response.status_code", 200L, "network.protocol.version", "1.1"));
      assertThat(backendServer(spans, "/backend/direct").parentSpanId()).isEqualTo(direct.spanId());

      ReceivedSpan redirected = clientCall(spans, backendUrl + "/moved");
      assertThat(redirected.attributes()).as("one span for the followed redirect, final status")
          .contains(entry("http.response.status_code", 200L));
      ReceivedSpan moved = backendServer(spans, "/moved");
      assertThat(moved.attributes()).contains(entry("http.response.status_code", 302L));
      assertThat(List.of(moved, backendServer(spans, "/backend/moved"))).as("both hops carry the span's context")
          .extracting(ReceivedSpan::parentSpanId).containsOnly(redirected.spanId());

      ReceivedSpan broken = clientCall(spans, backendUrl + "/broken");
      assertThat(broken.statusCode()).isEqualTo(STATUS_ERROR);
      assertThat(broken.attributes()).contains(entry("http.response.status_code", 503L), entry("error.type", "503"));
      assertThat(backendServer(spans, "/broken").statusCode()).isEqualTo(STATUS_ERROR);

      ReceivedSpan hang = clientCall(spans, backendUrl + "/hang");
      assertThat(hang.statusCode()).isEqualTo(STATUS_UNSET);
      assertThat(hang.attributes()).as("cancelled before a response: ended, no status").isEqualTo(Map.of(
          "http.request.method", "GET", "url.full", backendUrl + "/hang", "server.address", "127.0.0.1",
          "server.port", backend));
      ReceivedSpan hangServer = backendServer(spans, "/hang");
      assertThat(hangServer.parentSpanId()).isEqualTo(hang.spanId());
      assertThat(hangServer.attributes()).as("the connection closed before the response: ended, no status")
          .doesNotContainKeys("http.response.status_code", "error.type");

      ReceivedSpan nobody = clientCall(spans, "http://127.0.0.1:" + closed + "/nobody");
      assertThat(nobody.statusCode()).isEqualTo(STATUS_ERROR);
      assertThat(nobody.attributes()).isEqualTo(Map.of("http.request.method", "GET",
          "url.full", "http://127.0.0.1:" + closed + "/nobody", "server.address", "127.0.0.1",
          "server.port", closed, "error.type", refused));

      List<ReceivedHistogramPoint> server = ReceivedHistogramPoint.of(receiver.metrics(),
          "http.server.request.duration");
      assertThat(server).isNotEmpty().allSatisfy(point -> {
        assertThat(point.unit()).isEqualTo("s");
        assertThat(point.bounds()).isEqualTo(ReceivedHistogramPoint.SPEC_BUCKETS);
      });
      assertThat(server.stream().map(ReceivedHistogramPoint::attributes).distinct()).containsExactlyInAnyOrder(
          serverPoint(200, "/users/{id}", null), serverPoint(200, "/fn/items/{id}", null),
          serverPoint(200, "/chain/{id}", null), serverPoint(200, "/pair/{id}", null),
          serverPoint(500, "/fail/{id}", "java.lang.IllegalStateException"),
          serverPoint(200, "/backend/{name}", null), serverPoint(302, "/moved", null),
          serverPoint(503, "/broken", "503"), serverPoint(-1, "/hang", null));
      assertThat(ReceivedHistogramPoint.of(receiver.metrics(), "http.client.request.duration").stream()
              .map(ReceivedHistogramPoint::attributes).distinct())
          .contains(clientPoint(backend, 200, null), clientPoint(backend, 503, "503"),
              Map.of("http.request.method", "GET", "server.address", "127.0.0.1", "server.port", closed,
                  "error.type", refused));
    }
  }

  /** The SERVER span of the WebFlux app for {@code path}, checked to be the child of the app's own CLIENT span. */
  private static ReceivedSpan serverFor(List<ReceivedSpan> spans, String path) {
    ReceivedSpan server = only(spans, s -> s.kind() == SpanKind.SPAN_KIND_SERVER
        && path.equals(s.attribute("url.path")));
    ReceivedSpan client = only(spans, s -> s.spanId().equals(server.parentSpanId()));
    assertThat(client.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
    assertThat(client.traceId()).isEqualTo(server.traceId());
    assertThat(server.attributes()).contains(entry("user_agent.original", JDK_AGENT));
    return server;
  }

  /** The backend's SERVER span for {@code path}, named by the Reactor Netty route that matched it. */
  private static ReceivedSpan backendServer(List<ReceivedSpan> spans, String path) {
    ReceivedSpan server = only(spans, s -> s.kind() == SpanKind.SPAN_KIND_SERVER
        && path.equals(s.attribute("url.path")));
    String route = path.startsWith("/backend/") ? "/backend/{name}" : path;
    assertThat(server.name()).isEqualTo("GET " + route);
    assertThat(server.attributes()).contains(entry("http.route", route));
    return server;
  }

  private static ReceivedSpan clientCall(List<ReceivedSpan> spans, String url) {
    ReceivedSpan client =
        only(spans, s -> s.kind() == SpanKind.SPAN_KIND_CLIENT && url.equals(s.attribute("url.full")));
    assertThat(client.name()).isEqualTo("GET");
    return client;
  }

  private static ReceivedSpan only(List<ReceivedSpan> spans, Predicate<ReceivedSpan> filter) {
    List<ReceivedSpan> matching = spans.stream().filter(filter).toList();
    assertThat(matching).as("exactly one matching span in " + spans).hasSize(1);
    return matching.get(0);
  }

  private static Map<String, Object> serverPoint(long status, String route, String errorType) {
    Map<String, Object> point = new LinkedHashMap<>(Map.of("http.request.method", "GET",
        "url.scheme", "http", "network.protocol.version", "1.1"));
    if (status > 0) {
      point.put("http.response.status_code", status);
    }
    if (route != null) {
      point.put("http.route", route);
    }
    if (errorType != null) {
      point.put("error.type", errorType);
    }
    return point;
  }

  private static Map<String, Object> clientPoint(long port, long status, String errorType) {
    Map<String, Object> point = new LinkedHashMap<>(Map.of("http.request.method", "GET",
        "server.address", "127.0.0.1", "server.port", port, "http.response.status_code", status,
        "network.protocol.version", "1.1"));
    if (errorType != null) {
      point.put("error.type", errorType);
    }
    return point;
  }

}
