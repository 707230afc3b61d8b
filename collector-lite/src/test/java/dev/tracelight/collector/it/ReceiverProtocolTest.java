package dev.tracelight.collector.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.tracelight.collector.Collector;
import dev.tracelight.collector.OtlpSamples;
import dev.tracelight.collector.otlp.OtlpGrpc;
import dev.tracelight.collector.pipeline.Signal;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OTLP receiver on the wire: encodings, CORS, and a 4xx for every kind of bad request, after which it still serves. */
class ReceiverProtocolTest {
  private static final int MAX_BODY = 4096;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private TestBackend backend;
  private Collector collector;

  @BeforeEach
  void start() throws Exception {
    backend = TestBackend.started(TestBackend.Transport.GRPC);
    collector = RunningCollector.start("""
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: 127.0.0.1:0, max_recv_msg_size_mib: 1}
              http:
                endpoint: 127.0.0.1:0
                max_request_body_size: %d
                cors:
                  allowed_origins: ["http://*", "https://*.example.com"]
                  allowed_headers: [X-Tenant]
                  max_age: 600
        exporters:
        %s
        service:
          telemetry: {metrics: {level: none}}
          pipelines:
            traces: {receivers: [otlp], exporters: [otlp/backend]}
        """.formatted(MAX_BODY, backend.exporterYaml("backend")));
  }

  @AfterEach
  void stop() {
    RunningCollector.stop(collector);
    backend.close();
  }

  @Test
  void acceptsOtlpJsonWithHexIdsFromAPlainHttpClient() throws Exception {
    String json = """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}}]},
          "scopeSpans":[{"scope":{"name":"manual"},"spans":[{
            "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","parentSpanId":"eee19b7ec3c1b173",
            "name":"GET /cart","kind":2,"startTimeUnixNano":"1544712660000000000","endTimeUnixNano":"1544712661000000000",
            "attributes":[{"key":"http.response.status_code","value":{"intValue":"200"}}],
            "status":{"code":1},"someFutureField":true}]}]}]}
        """;

    HttpResponse<String> response = send("POST", "/v1/traces", "application/json", json.getBytes(StandardCharsets.UTF_8),
        null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.body()).isEqualTo("{}");
    await().atMost(Duration.ofSeconds(30)).until(() -> backend.spans().size() == 1);
    Span span = backend.spans().get(0);
    assertThat(HexFormat.of().formatHex(span.getTraceId().toByteArray())).isEqualTo("5b8efff798038103d269b633813fc60c");
    assertThat(HexFormat.of().formatHex(span.getSpanId().toByteArray())).isEqualTo("eee19b7ec3c1b174");
    assertThat(HexFormat.of().formatHex(span.getParentSpanId().toByteArray())).isEqualTo("eee19b7ec3c1b173");
    assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(span.getStartTimeUnixNano()).isEqualTo(1544712660000000000L);
    assertThat(span.getAttributes(0).getValue().getIntValue()).isEqualTo(200);
  }

  @Test
  void acceptsGzipProtobuf() throws Exception {
    ExportTraceServiceRequest request = OtlpSamples.traces("gzip", 2, 3);

    HttpResponse<String> response = send("POST", "/v1/traces", "application/x-protobuf", gzip(request.toByteArray()),
        "gzip");

    assertThat(response.statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> backend.spans().size() == 6);
  }

  @Test
  void answersCorsPreflightForAllowedOriginsOnly() throws Exception {
    HttpResponse<String> allowed = preflight("https://shop.example.com", "content-type, x-tenant");
    assertThat(allowed.statusCode()).isEqualTo(204);
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://shop.example.com");
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods")).hasValue("POST");
    assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers")).hasValue("content-type, x-tenant");
    assertThat(allowed.headers().firstValue("Access-Control-Max-Age")).hasValue("600");

    assertThat(preflight("https://evil.test", "content-type").headers().firstValue("Access-Control-Allow-Origin"))
        .isEmpty();
    assertThat(preflight("http://localhost:3000", "x-not-allowed").headers()
        .firstValue("Access-Control-Allow-Origin")).isEmpty();

    HttpResponse<String> post = http.send(HttpRequest.newBuilder(url("/v1/traces"))
        .header("Origin", "http://localhost:3000").header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(OtlpSamples.traces("cors", 1, 1).toByteArray())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(200);
    assertThat(post.headers().firstValue("Access-Control-Allow-Origin")).hasValue("http://localhost:3000");
  }

  @Test
  void rejectsBadRequestsWithTheirStatusAndKeepsServing() throws Exception {
    byte[] valid = OtlpSamples.traces("ok", 1, 2).toByteArray();
    byte[] zeros = new byte[MAX_BODY * 4];

    assertThat(status("POST", "/v1/traces", "application/x-protobuf", "this is not protobuf".getBytes(), null))
        .as("garbage").isEqualTo(400);
    assertThat(status("POST", "/v1/traces", "application/x-protobuf", Arrays.copyOf(valid, valid.length - 3), null))
        .as("truncated").isEqualTo(400);
    assertThat(status("POST", "/v1/traces", "application/json", "{\"resourceSpans\": [".getBytes(), null))
        .as("broken json").isEqualTo(400);
    assertThat(status("POST", "/v1/traces", "application/json",
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"xyz\"}]}]}]}".getBytes(), null))
        .as("bad hex id").isEqualTo(400);
    assertThat(status("POST", "/v1/traces", "application/x-protobuf", "not gzip at all".getBytes(), "gzip"))
        .as("not gzip").isEqualTo(400);
    assertThat(status("POST", "/v1/traces", "application/x-protobuf", new byte[MAX_BODY + 1], null))
        .as("oversized").isEqualTo(413);
    assertThat(status("POST", "/v1/traces", "application/x-protobuf", gzip(zeros), "gzip"))
        .as("oversized once decompressed").isEqualTo(413);
    assertThat(status("POST", "/v1/traces", "text/plain", valid, null)).as("wrong content type").isEqualTo(415);
    assertThat(status("POST", "/v1/traces", "application/x-protobuf", valid, "br")).as("unknown encoding")
        .isEqualTo(415);
    assertThat(status("GET", "/v1/traces", null, null, null)).as("GET").isEqualTo(405);
    assertThat(status("PUT", "/v1/traces", "application/x-protobuf", valid, null)).as("PUT").isEqualTo(405);
    assertThat(status("POST", "/v1/metrics", "application/x-protobuf", valid, null))
        .as("signal without pipeline").isEqualTo(404);
    assertThat(status("POST", "/v2/traces", "application/x-protobuf", valid, null)).as("unknown path").isEqualTo(404);

    assertThat(status("POST", "/v1/traces", "application/x-protobuf", valid, null)).as("still serving").isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).until(() -> backend.spans().size() == 2);
    assertThat(backend.spans()).extracting(Span::getName).containsExactlyInAnyOrder("ok-0-0", "ok-0-1");
  }

  @Test
  void answersInvalidArgumentToGarbageOverGrpcAndKeepsServing() {
    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", collector.grpcAddress("otlp").getPort())
        .usePlaintext().build();
    try {
      StatusRuntimeException garbage = catchThrowableOfType(StatusRuntimeException.class, () ->
          ClientCalls.blockingUnaryCall(channel, OtlpGrpc.export(Signal.TRACES), CallOptions.DEFAULT,
              "this is not protobuf".getBytes()));
      assertThat(garbage.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);

      StatusRuntimeException oversized = catchThrowableOfType(StatusRuntimeException.class, () ->
          ClientCalls.blockingUnaryCall(channel, OtlpGrpc.export(Signal.TRACES), CallOptions.DEFAULT,
              new byte[(1 << 20) + 1]));
      assertThat(oversized.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

      StatusRuntimeException noPipeline = catchThrowableOfType(StatusRuntimeException.class, () ->
          ClientCalls.blockingUnaryCall(channel, OtlpGrpc.export(Signal.LOGS), CallOptions.DEFAULT,
              OtlpSamples.logs("l", 1).toByteArray()));
      assertThat(noPipeline.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);

      byte[] answer = ClientCalls.blockingUnaryCall(channel, OtlpGrpc.export(Signal.TRACES), CallOptions.DEFAULT,
          OtlpSamples.traces("grpc", 1, 3).toByteArray());
      assertThat(answer).isEmpty();
      await().atMost(Duration.ofSeconds(30)).until(() -> backend.spans().size() == 3);
    } finally {
      channel.shutdownNow();
    }
  }

  private HttpResponse<String> preflight(String origin, String headers) throws Exception {
    return http.send(HttpRequest.newBuilder(url("/v1/traces")).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", origin).header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", headers).build(), HttpResponse.BodyHandlers.ofString());
  }

  private int status(String method, String path, String type, byte[] body, String encoding) throws Exception {
    return send(method, path, type, body, encoding).statusCode();
  }

  private HttpResponse<String> send(String method, String path, String type, byte[] body, String encoding)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(url(path)).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (type != null) {
      b.header("Content-Type", type);
    }
    if (encoding != null) {
      b.header("Content-Encoding", encoding);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + collector.httpAddress("otlp").getPort() + path);
  }

  private static byte[] gzip(byte[] bytes) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(bytes);
    }
    return out.toByteArray();
  }
}
