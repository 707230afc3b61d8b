package dev.tracelight.collector.traceview;

import static dev.tracelight.collector.traceview.SpanFixtures.attribute;
import static dev.tracelight.collector.traceview.SpanFixtures.error;
import static dev.tracelight.collector.traceview.SpanFixtures.request;
import static dev.tracelight.collector.traceview.SpanFixtures.span;
import static dev.tracelight.collector.traceview.SpanFixtures.spanId;
import static dev.tracelight.collector.traceview.SpanFixtures.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JSON API and the page over real HTTP on 127.0.0.1. */
class TraceViewServerTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static TraceViewServer server;
  private static String base;

  @BeforeAll
  static void start() throws IOException {
    TraceStore store = TraceStore.create(100, 1000, Duration.ZERO);
    // trace 1: frontend → checkout → payments (error), in three batches, the child first
    store.add(request("payments", error(span(1, 3, 2, "charge", 20, 60), "card declined")
        .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .addAttributes(attribute("payment.amount_cents", 4200))
        .addAttributes(KeyValue.newBuilder().setKey("big").setValue(AnyValue.newBuilder().setIntValue(1L << 60)))
        .addAttributes(KeyValue.newBuilder().setKey("tags").setValue(AnyValue.newBuilder().setArrayValue(
            ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setStringValue("a"))
                .addValues(AnyValue.newBuilder().setBoolValue(true)))))
        .addEvents(Span.Event.newBuilder().setName("exception").setTimeUnixNano(SpanFixtures.T0 + 55_000_000)
            .addAttributes(attribute("exception.type", "CardDeclined")))
        .addLinks(Span.Link.newBuilder().setTraceId(ByteString.fromHex(traceId(2)))
            .setSpanId(ByteString.fromHex(spanId(1))).addAttributes(attribute("reason", "retry of")))));
    store.add(request("checkout", span(1, 2, 1, "POST /orders", 10, 80).setKind(Span.SpanKind.SPAN_KIND_SERVER)));
    store.add(request("frontend", span(1, 1, 0, "GET /checkout", 0, 100).setKind(Span.SpanKind.SPAN_KIND_SERVER)
        .addAttributes(attribute("http.route", "/checkout"))));
    // trace 2: a short one, later
    store.add(request("frontend", span(2, 1, 0, "GET /health", 1000, 1002)));
    server = TraceViewServer.start(new InetSocketAddress("127.0.0.1", 0), store);
    base = "http://127.0.0.1:" + server.address().getPort();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void listsTracesNewestFirstWithTheirSummary() throws Exception {
    HttpResponse<String> response = get("/api/traces");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonArray traces = json(response).getAsJsonArray("traces");
    assertThat(traces).hasSize(2);
    JsonObject health = traces.get(0).getAsJsonObject();
    assertThat(health.get("traceId").getAsString()).isEqualTo(traceId(2));
    JsonObject checkout = traces.get(1).getAsJsonObject();
    assertThat(checkout).isEqualTo(JsonParser.parseString("""
        {"traceId":"%s","rootService":"frontend","rootName":"GET /checkout","startTimeUnixNano":"%d",
         "durationNanos":100000000,"spanCount":3,"services":["payments","checkout","frontend"],"error":true,
         "errorCount":1,"droppedSpans":0}""".formatted(traceId(1), SpanFixtures.T0)));
    assertThat(json(response).getAsJsonObject("store")).isEqualTo(JsonParser.parseString("""
        {"traces":2,"spans":4,"maxTraces":100,"maxSpans":1000,"evictedTraces":0,"droppedSpans":0}"""));
  }

  @Test
  void filtersTheListByServiceMinimumDurationErrorAndLimit() throws Exception {
    assertThat(traceIds("/api/traces?service=payments")).containsExactly(traceId(1));
    assertThat(traceIds("/api/traces?service=frontend")).containsExactly(traceId(2), traceId(1));
    assertThat(traceIds("/api/traces?minDuration=50ms")).containsExactly(traceId(1));
    assertThat(traceIds("/api/traces?minDuration=1.5ms")).containsExactly(traceId(2), traceId(1));
    assertThat(traceIds("/api/traces?error=true")).containsExactly(traceId(1));
    assertThat(traceIds("/api/traces?error=false")).containsExactly(traceId(2));
    assertThat(traceIds("/api/traces?limit=1")).containsExactly(traceId(2));
    assertThat(traceIds("/api/traces?service=nobody")).isEmpty();
  }

  @Test
  void returnsEverySpanOfATraceWithIdsParentsTimesAndDetails() throws Exception {
    HttpResponse<String> response = get("/api/traces/" + traceId(1).toUpperCase());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject trace = json(response);
    assertThat(trace.get("traceId").getAsString()).isEqualTo(traceId(1));
    JsonArray spans = trace.getAsJsonArray("spans");
    List<String> shape = new ArrayList<>();
    for (JsonElement e : spans) {
      JsonObject s = e.getAsJsonObject();
      shape.add(s.get("spanId").getAsString() + "<" + s.get("parentSpanId").getAsString() + " " + s.get("service")
          .getAsString() + " " + s.get("name").getAsString() + " " + s.get("kind").getAsString() + " +"
          + s.get("offsetNanos").getAsLong() + " " + s.get("durationNanos").getAsLong() + " "
          + s.getAsJsonObject("status").get("code").getAsString());
    }
    assertThat(shape).containsExactly(
        spanId(1) + "< frontend GET /checkout SERVER +0 100000000 UNSET",
        spanId(2) + "<" + spanId(1) + " checkout POST /orders SERVER +10000000 70000000 UNSET",
        spanId(3) + "<" + spanId(2) + " payments charge CLIENT +20000000 40000000 ERROR");
    JsonObject charge = spans.get(2).getAsJsonObject();
    assertThat(charge.get("startTimeUnixNano").getAsString()).isEqualTo(Long.toString(SpanFixtures.T0 + 20_000_000));
    assertThat(charge.get("endTimeUnixNano").getAsString()).isEqualTo(Long.toString(SpanFixtures.T0 + 60_000_000));
    assertThat(charge.getAsJsonObject("status").get("message").getAsString()).isEqualTo("card declined");
    assertThat(charge.getAsJsonObject("attributes")).isEqualTo(JsonParser.parseString(
        "{\"payment.amount_cents\":4200,\"big\":\"1152921504606846976\",\"tags\":[\"a\",true]}"));
    assertThat(charge.getAsJsonArray("events")).isEqualTo(JsonParser.parseString("""
        [{"name":"exception","timeUnixNano":"%d","offsetNanos":55000000,
          "attributes":{"exception.type":"CardDeclined"}}]""".formatted(SpanFixtures.T0 + 55_000_000)));
    assertThat(charge.getAsJsonArray("links")).isEqualTo(JsonParser.parseString("""
        [{"traceId":"%s","spanId":"%s","attributes":{"reason":"retry of"}}]""".formatted(traceId(2), spanId(1))));
    assertThat(charge.getAsJsonObject("resource")).isEqualTo(JsonParser.parseString(
        "{\"attributes\":{\"service.name\":\"payments\"}}"));
    assertThat(charge.getAsJsonObject("scope")).isEqualTo(JsonParser.parseString(
        "{\"name\":\"fixtures\",\"version\":\"1.0\"}"));
  }

  @Test
  void listsTheServicesInTheStoreSorted() throws Exception {
    assertThat(json(get("/api/services"))).isEqualTo(JsonParser.parseString(
        "{\"services\":[\"checkout\",\"frontend\",\"payments\"]}"));
  }

  @Test
  void answersClearErrorsForUnknownTracesAndBadQueries() throws Exception {
    HttpResponse<String> missing = get("/api/traces/" + HexFormat.of().formatHex(new byte[16]).replace('0', 'f'));
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).get("error").getAsString()).startsWith("trace ffffffffffffffffffffffffffffffff is not in "
        + "the store");

    assertError(get("/api/traces/xyz"), 400, "\"xyz\" is not a trace id (expected 32 hex digits)");
    assertError(get("/api/traces?minDuration=fast"), 400,
        "minDuration: \"fast\" is not a duration (expected e.g. 250ms, 1.5s, 2m)");
    assertError(get("/api/traces?error=maybe"), 400,
        "error: \"maybe\" is not true or false (true: only traces with an error span; false: only traces without)");
    assertError(get("/api/traces?limit=0"), 400, "limit: \"0\" is not a whole number from 1 to 1000");
    assertError(get("/api/nothing"), 404,
        "no API at /api/nothing (expected /api/traces, /api/traces/<traceId> or /api/services)");

    HttpResponse<String> post = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/api/traces"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  @Test
  void servesThePageAtTheRootAndAtDeepLinksWithItsAssetsFromTheJar() throws Exception {
    HttpResponse<String> root = get("/");
    HttpResponse<String> deepLink = get("/trace/" + traceId(1));

    assertThat(root.statusCode()).isEqualTo(200);
    assertThat(root.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(root.headers().firstValue("Content-Security-Policy").orElseThrow()).startsWith("default-src 'self'");
    assertThat(root.body()).contains("<script src=\"/static/traceview.js\" defer></script>");
    assertThat(deepLink.statusCode()).isEqualTo(200);
    assertThat(deepLink.body()).isEqualTo(root.body());

    HttpResponse<String> script = get("/static/traceview.js");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertThat(script.body()).contains("function showTrace(traceId)");
    assertThat(get("/static/traceview.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
    assertThat(get("/static/../index.html").statusCode()).isEqualTo(404);
    assertThat(get("/static/TraceStore.class").statusCode()).isEqualTo(404);
  }

  @Test
  void readsGoDurationsForMinDuration() {
    assertThat(TraceViewServer.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(TraceViewServer.parseDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(TraceViewServer.parseDuration("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(TraceViewServer.parseDuration("500us")).isEqualTo(Duration.ofNanos(500_000));
    assertThat(TraceViewServer.parseDuration("100")).isNull();
    assertThat(TraceViewServer.parseDuration("ms")).isNull();
    assertThat(TraceViewServer.parseDuration("")).isNull();
  }

  private static void assertError(HttpResponse<String> response, int status, String message) {
    assertThat(response.statusCode()).isEqualTo(status);
    assertThat(json(response).get("error").getAsString()).isEqualTo(message);
  }

  private static List<String> traceIds(String path) throws Exception {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    json(response).getAsJsonArray("traces").forEach(t -> ids.add(t.getAsJsonObject().get("traceId").getAsString()));
    return ids;
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject json(HttpResponse<String> response) {
    return JsonParser.parseString(response.body()).getAsJsonObject();
  }
}
