package dev.tracelight.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Embedded Tomcat + Spring MVC under the agent, oldest and newest line: Tomcat 9 + Spring 5 (javax.servlet) and
 * Tomcat 11 + Spring 6 (jakarta.servlet), each from its own class path in target/it-libs. Every request the app makes
 * to itself must give a CLIENT → SERVER pair in one trace, named by the matched route, with the stable attributes,
 * and the duration histograms must reach the OTLP receiver.
 */
class ServletSpringMvcIT {
  private static final int STATUS_UNSET = 0;
  private static final int STATUS_ERROR = 2;

  @Test
  void tomcat9WithSpring5TracesFiltersServletRoutesSpringRoutesAsyncRequestsAndErrors() throws Exception {
    assertTomcatApp("javax", "tomcat9-spring5");
  }

  @Test
  void tomcat11WithSpring6TracesFiltersServletRoutesSpringRoutesAsyncRequestsAndErrors() throws Exception {
    assertTomcatApp("jakarta", "tomcat11-spring6");
  }

  private static void assertTomcatApp(String api, String libs) throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = ForkedApp.testMain("dev.tracelight.agent.it.servlet.TomcatApp", ForkedLibraries.itLibs(libs), api)
          .exportingTo(receiver)
          .env("OTEL_METRICS_EXPORTER", "otlp")
          .env("OTEL_INSTRUMENTATION_HTTP_SERVER_CAPTURE_REQUEST_HEADERS", "X-Tenant")
          .env("OTEL_INSTRUMENTATION_HTTP_SERVER_CAPTURE_RESPONSE_HEADERS", "x-served-by")
          .run();
      assertThat(result.exitCode()).as(result.stderr()).isZero();
      assertThat(result.line("/users/42?verbose=true ")).startsWith("200 ");
      assertThat(result.line("/users/7/fail ")).startsWith("500 ");
      assertThat(result.line("/handled ")).startsWith("400 ");
      long port = Long.parseLong(result.line("PORT "));
      List<ReceivedSpan> spans = receiver.spans();
      assertThat(spans).as("one CLIENT and one SERVER span per request, nothing for forwards, async dispatches or "
          + "error pages").hasSize(2 * (3 + 10));
      assertServletRequests(result, spans, "", 404, true);
      assertThat(result.line("/unavailable ")).as("the error page ran").isEqualTo("503 plain /hello null");

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
              entry("network.protocol.version", "1.1"),
              entry("user_agent.original", "Java-http-client/" + System.getProperty("java.version")),
              entry("client.address", "203.0.113.9"), entry("http.response.status_code", 200L));
      assertThat(user.attribute("http.request.header.x-tenant").toString()).contains("string_value: \"acme\"");
      assertThat(user.attribute("http.response.header.x-served-by").toString()).contains("string_value: \"spring\"");

      ReceivedSpan failed = serverFor(spans, "/users/7/fail");
      assertThat(failed.name()).isEqualTo("GET /users/{id}/fail");
      assertThat(failed.statusCode()).isEqualTo(STATUS_ERROR);
      assertThat(failed.attributes()).contains(entry("http.response.status_code", 500L),
          entry("error.type", "java.lang.IllegalStateException"), entry("http.route", "/users/{id}/fail"));

      ReceivedSpan handled = serverFor(spans, "/handled");
      assertThat(handled.name()).isEqualTo("GET /handled");
      assertThat(handled.statusCode()).as("4xx is no server error").isEqualTo(STATUS_UNSET);
      assertThat(handled.attributes()).contains(entry("http.response.status_code", 400L))
          .doesNotContainKey("error.type");

      List<ReceivedHistogramPoint> server = ReceivedHistogramPoint.of(receiver.metrics(),
          "http.server.request.duration");
      assertThat(server).isNotEmpty().allSatisfy(point -> {
        assertThat(point.unit()).isEqualTo("s");
        assertThat(point.bounds()).isEqualTo(ReceivedHistogramPoint.SPEC_BUCKETS);
      });
      List<Map<String, Object>> expected = new java.util.ArrayList<>(servletPoints("", 404, true));
      expected.addAll(List.of(serverPoint(200, "/users/{id}"),
          withError(serverPoint(500, "/users/{id}/fail"), "java.lang.IllegalStateException"),
          serverPoint(400, "/handled")));
      assertThat(server.stream().map(ReceivedHistogramPoint::attributes).distinct())
          .containsExactlyInAnyOrderElementsOf(expected);
      assertThat(ReceivedHistogramPoint.of(receiver.metrics(), "http.client.request.duration").stream()
              .map(ReceivedHistogramPoint::attributes).distinct())
          .contains(Map.of("http.request.method", "GET", "server.address", "127.0.0.1", "server.port", port,
              "http.response.status_code", 200L, "network.protocol.version", "1.1"));
    }
  }

  /**
   * The spans of {@code ServletPaths.SERVLET_REQUESTS} (served by {@code JavaxServlets}/{@code JakartaServlets}
   * under {@code contextPath}): one SERVER span each, child of the app's CLIENT span, named by the servlet mapping's
   * route; the filter's own 401, the async status set after the servlet returned, the single span of a forward, an
   * async dispatch and a 503's error page, the exception recorded; {@code defaultStatus} is what the default servlet
   * answers.
   * {@code mappingRoutes} false: a Servlet 3.x container, which cannot tell the mapping, so no span has a route.
   */
  static void assertServletRequests(ForkedApp.Result result, List<ReceivedSpan> spans, String contextPath,
      long defaultStatus, boolean mappingRoutes) {
    assertThat(result.agentLogLines()).as("the agent logs nothing").isEmpty();
    Map<String, Long> statuses = servletStatuses(defaultStatus);
    for (Map.Entry<String, Long> request : statuses.entrySet()) {
      String path = request.getKey();
      assertThat(result.line(path + " ")).as(path).startsWith(request.getValue() + " ");
      ReceivedSpan server = serverFor(spans, contextPath + path);
      String route = mappingRoutes ? servletRoute(contextPath, path) : null;
      assertThat(server.name()).as(path).isEqualTo(route == null ? "GET" : "GET " + route);
      assertThat(server.attribute("http.route")).as(path).isEqualTo(route);
      assertThat(server.attributes()).as(path).contains(entry("http.request.method", "GET"),
          entry("url.scheme", "http"), entry("http.response.status_code", request.getValue()),
          entry("network.protocol.version", "1.1"));
      if (path.equals("/fail")) {
        assertThat(server.statusCode()).isEqualTo(STATUS_ERROR);
        assertThat(server.attributes()).contains(entry("error.type", "java.lang.IllegalStateException"));
        assertThat(server.events()).as("the servlet's exception").singleElement().satisfies(event ->
            assertThat(event).contains(entry("event.name", "exception"),
                entry("exception.type", "java.lang.IllegalStateException"),
                entry("exception.message", "servlet failed")));
      } else if (path.equals("/unavailable")) {
        assertThat(server.statusCode()).isEqualTo(STATUS_ERROR);
        assertThat(server.attributes()).contains(entry("error.type", "503"));
        assertThat(server.events()).isEmpty();
      } else {
        assertThat(server.statusCode()).as(path + ": 4xx is no server error").isEqualTo(STATUS_UNSET);
        assertThat(server.attributes()).as(path).doesNotContainKey("error.type");
        assertThat(server.events()).as(path).isEmpty();
      }
    }
    assertThat(result.line("/secure/data ")).as("answered by the filter").isEqualTo("401 denied");
    assertThat(result.line("/async ")).isEqualTo("202 accepted");
    assertThat(result.line("/async-dispatch ")).isEqualTo("201 dispatched");
    assertThat(result.line("/forward ")).isEqualTo("200 plain /hello null");
  }

  /** The distinct {@code http.server.request.duration} points of {@link #assertServletRequests}' requests. */
  static List<Map<String, Object>> servletPoints(String contextPath, long defaultStatus, boolean mappingRoutes) {
    return servletStatuses(defaultStatus).entrySet().stream().map(request -> {
      Map<String, Object> point = serverPoint(request.getValue(),
          mappingRoutes ? servletRoute(contextPath, request.getKey()) : null);
      switch (request.getKey()) {
        case "/fail":
          return withError(point, "java.lang.IllegalStateException");
        case "/unavailable":
          return withError(point, "503");
        default:
          return point;
      }
    }).distinct().toList();
  }

  private static Map<String, Long> servletStatuses(long defaultStatus) {
    Map<String, Long> statuses = new java.util.LinkedHashMap<>();
    statuses.put("/plain/hello", 200L);
    statuses.put("/hello", 200L);
    statuses.put("/report.do", 200L);
    statuses.put("/async", 202L);
    statuses.put("/async-dispatch", 201L);
    statuses.put("/forward", 200L);
    statuses.put("/unavailable", 503L);
    statuses.put("/secure/data", 401L);
    statuses.put("/fail", 500L);
    statuses.put("/other/page", defaultStatus);
    return statuses;
  }

  /** Path mapping, exact, extension, the guarded path mapping; the default servlet gives none. */
  private static String servletRoute(String contextPath, String path) {
    switch (path) {
      case "/plain/hello":
        return contextPath + "/plain/*";
      case "/report.do":
        return contextPath + "/*.do";
      case "/secure/data":
        return contextPath + "/secure/*";
      case "/other/page":
        return null;
      default:
        return contextPath + path;
    }
  }

  /** The SERVER span for {@code path}, checked to be the child of the app's CLIENT span for it, in the same trace. */
  static ReceivedSpan serverFor(List<ReceivedSpan> spans, String path) {
    List<ReceivedSpan> servers = spans.stream()
        .filter(s -> s.kind() == SpanKind.SPAN_KIND_SERVER && path.equals(s.attribute("url.path"))).toList();
    assertThat(servers).as("SERVER spans for " + path).hasSize(1);
    ReceivedSpan server = servers.get(0);
    ReceivedSpan client = spans.stream().filter(s -> s.spanId().equals(server.parentSpanId())).findFirst()
        .orElseThrow(() -> new AssertionError("no parent of the SERVER span for " + path + " in " + spans));
    assertThat(client.kind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
    assertThat(client.traceId()).isEqualTo(server.traceId());
    assertThat((String) client.attribute("url.full")).contains(path);
    return server;
  }

  static Map<String, Object> serverPoint(long status, String route) {
    Map<String, Object> point = new java.util.LinkedHashMap<>(Map.of("http.request.method", "GET",
        "url.scheme", "http", "http.response.status_code", status, "network.protocol.version", "1.1"));
    if (route != null) {
      point.put("http.route", route);
    }
    return point;
  }

  static Map<String, Object> withError(Map<String, Object> point, String errorType) {
    point.put("error.type", errorType);
    return point;
  }

}
