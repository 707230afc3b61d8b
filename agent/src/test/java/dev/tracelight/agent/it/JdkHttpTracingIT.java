package dev.tracelight.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.context.Context;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The agent jar on a real JVM: an app calls its own /hello with HttpClient; the handler calls /downstream from an
 * executor task with HttpClient and /legacy with HttpURLConnection. One trace of six spans must arrive at the OTLP
 * receiver, linked client → server → client → server.
 */
class JdkHttpTracingIT {
  static final String NO_TRACE_HEADERS =
      "traceparent=null b3=null x-b3-traceid=null x-b3-spanid=null uber-trace-id=null";
  private static final int STATUS_UNSET = 0;

  @Test
  void exportsOneTraceOfSixLinkedSpansOverHttpProtobuf() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = helloApp(receiver).run();
      assertWholeHelloTrace(result, receiver.spans());
    }
  }

  @Test
  void keepsTheWholeTraceWhenTheAppAnswersBeforeTheSdkIsBuilt() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      // the SDK is built beside the application's start; held back 1.5 s, it is missing at the first request
      ForkedApp.Result result = helloApp(receiver)
          .systemProperty("tracelight.testing.sdk-build-delay-ms", "1500").env("OTEL_JAVAAGENT_DEBUG", "true").run();
      assertThat(result.agentLogLines())
          .anyMatch(line -> line.startsWith("[tracelight] DEBUG waiting for the SDK on thread "))
          .noneMatch(line -> line.startsWith("[tracelight] WARN") || line.startsWith("[tracelight] ERROR"));
      assertHelloTrace(result, receiver.spans());
    }
  }

  @Test
  void exportsTheSameTraceOverGrpc() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.grpc()) {
      ForkedApp.Result result = helloApp(receiver).run();
      assertWholeHelloTrace(result, receiver.spans());
    }
  }

  @Test
  void exportsWithHttpProtobufWhenNoProtocolIsSet() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = helloApp(receiver).withoutEnv("OTEL_EXPORTER_OTLP_PROTOCOL").run();
      assertWholeHelloTrace(result, receiver.spans());
    }
  }

  @Test
  void exportsTheSameTraceOnJava25() throws Exception {
    assumeTrue(Files.isDirectory(ForkedApp.TEMURIN_25), "Temurin 25 not installed at " + ForkedApp.TEMURIN_25);
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = helloApp(receiver).javaHome(ForkedApp.TEMURIN_25).run();
      assertThat(result.line("JAVA ")).startsWith("25");
      assertThat(result.stderr()).as("no JDK 24+ warning about sun.misc.Unsafe").doesNotContain("sun.misc.Unsafe");
      assertWholeHelloTrace(result, receiver.spans());
    }
  }

  @Test
  void sendsB3HeaderDownstreamWhenConfigured() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = helloApp(receiver).env("OTEL_PROPAGATORS", "tracecontext,baggage,b3").run();
      List<ReceivedSpan> spans = receiver.spans();
      ReceivedSpan downstreamClient = only(spans, clientTo("/downstream"));
      ReceivedSpan legacyClient = only(spans, clientTo("/legacy"));
      assertThat(headers(result.line("DOWNSTREAM "))).containsEntry("b3",
          downstreamClient.traceId() + "-" + downstreamClient.spanId() + "-1");
      assertThat(headers(result.line("LEGACY "))).containsEntry("b3",
          legacyClient.traceId() + "-" + legacyClient.spanId() + "-1");
    }
  }

  @Test
  void sendsB3MultiAndJaegerHeadersInsteadOfTraceparentWhenConfigured() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = helloApp(receiver).env("OTEL_PROPAGATORS", "b3multi,jaeger").run();
      List<ReceivedSpan> spans = receiver.spans();
      assertThat(spans).hasSize(6);
      ReceivedSpan downstreamClient = only(spans, clientTo("/downstream"));
      Map<String, String> received = headers(result.line("DOWNSTREAM "));
      assertThat(received).containsEntry("traceparent", "null")
          .containsEntry("x-b3-traceid", downstreamClient.traceId())
          .containsEntry("x-b3-spanid", downstreamClient.spanId())
          .containsEntry("uber-trace-id", downstreamClient.traceId() + ":" + downstreamClient.spanId() + ":0:1");
      // and the servers continued the traces from those headers
      assertThat(only(spans, server("/downstream")).parentSpanId()).isEqualTo(downstreamClient.spanId());
    }
  }

  @Test
  void ratioZeroExportsNothingAndPropagatesTheUnsampledFlag() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = helloApp(receiver)
          .env("OTEL_TRACES_SAMPLER", "parentbased_traceidratio")
          .env("OTEL_TRACES_SAMPLER_ARG", "0")
          .run();
      assertThat(result.line("STATUS ")).isEqualTo("200");
      String downstream = traceparent(result.line("DOWNSTREAM "));
      String legacy = traceparent(result.line("LEGACY "));
      assertThat(downstream).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[02]");
      assertThat(legacy).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[02]");
      assertThat(downstream.substring(3, 35)).as("one trace").isEqualTo(legacy.substring(3, 35));
      assertThat(receiver.spans()).isEmpty();
    }
  }

  @Test
  void disabledAgentExportsNothingAndTouchesNothing() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = helloApp(receiver).env("OTEL_JAVAAGENT_ENABLED", "false")
          .env("OTEL_JAVAAGENT_DEBUG", "true").run();
      assertThat(result.line("STATUS ")).isEqualTo("200");
      assertThat(result.line("DOWNSTREAM ")).isEqualTo(NO_TRACE_HEADERS);
      assertThat(result.stderr()).doesNotContain("[tracelight]").doesNotContain("bootstrap classpath");
      assertThat(receiver.spans()).isEmpty();
    }
  }

  @Test
  void disabledSdkExportsNothingAndPropagatesNothing() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = helloApp(receiver).env("OTEL_SDK_DISABLED", "true").run();
      assertThat(result.line("STATUS ")).isEqualTo("200");
      assertThat(result.line("DOWNSTREAM ")).isEqualTo(NO_TRACE_HEADERS);
      assertThat(result.agentLogLines()).isEmpty();
      assertThat(receiver.spans()).isEmpty();
    }
  }

  @Test
  void applicationSeesNeitherByteBuddyNorTheSdkNorAnOpenTelemetryApi() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = helloApp(receiver).run();
      assertThat(result.line("ISOLATION ")).isEqualTo("bytebuddy=hidden otel-api=hidden otel-sdk=hidden");
      assertThat(receiver.spans()).hasSize(6);
    }
  }

  @Test
  void disablingOneInstrumentationLeavesTheOthers() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      helloApp(receiver).env("OTEL_INSTRUMENTATION_HTTP_URL_CONNECTION_ENABLED", "false").run();
      List<ReceivedSpan> spans = receiver.spans();
      assertThat(spans).noneMatch(clientTo("/legacy"));
      // the /legacy server span is still there, now a root of its own trace
      ReceivedSpan legacyServer = only(spans, server("/legacy"));
      assertThat(legacyServer.parentSpanId()).isEmpty();
      assertThat(spans).hasSize(5);
    }
  }

  @Test
  void applicationWithItsOwnOpenTelemetryApiKeepsItAndIsStillTraced() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      String target = "http://127.0.0.1:" + closedPort() + "/nowhere";
      ForkedApp.Result result = ForkedApp.testMain("dev.tracelight.agent.it.app.OwnApiApp",
              List.of(jarOf(OpenTelemetry.class), jarOf(Context.class), jarOf(ComponentLoader.class)), target)
          .exportingTo(receiver).run();
      assertThat(result.exitCode()).isZero();
      assertThat(result.line("API-LOADER ")).as("the app's own API, not ours").isEqualTo("app");
      assertThat(result.line("API-SPAN-VALID ")).as("its API is joined to the agent's SDK (issue 5)").isEqualTo("true");
      ReceivedSpan client = only(receiver.spans(), clientTo("/nowhere"));
      assertThat(client.attributes()).contains(entry("error.type", "java.net.ConnectException"));
      assertThat(receiver.spans()).extracting(ReceivedSpan::name).containsExactlyInAnyOrder("own-work", "GET");
    }
  }

  private static Path jarOf(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  static ForkedApp helloApp(OtlpReceiver receiver) {
    return ForkedApp.helloApp("hello").exportingTo(receiver)
        .env("OTEL_SERVICE_NAME", "hello-app")
        .env("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment.name=test,team=core");
  }

  private static void assertWholeHelloTrace(ForkedApp.Result result, List<ReceivedSpan> spans) {
    assertThat(result.agentLogLines()).as("a healthy agent is silent").isEmpty();
    assertHelloTrace(result, spans);
  }

  private static void assertHelloTrace(ForkedApp.Result result, List<ReceivedSpan> spans) {
    assertThat(result.exitCode()).isZero();
    assertThat(result.line("STATUS ")).isEqualTo("200");
    assertThat(result.stderr()).as("bootstrap part defined, not appended: class-data sharing stays on")
        .doesNotContain("bootstrap classpath has been appended");
    assertThat(spans).hasSize(6);

    ReceivedSpan helloClient = only(spans, clientTo("/hello?q=1"));
    ReceivedSpan helloServer = only(spans, server("/hello"));
    ReceivedSpan downstreamClient = only(spans, clientTo("/downstream"));
    ReceivedSpan downstreamServer = only(spans, server("/downstream"));
    ReceivedSpan legacyClient = only(spans, clientTo("/legacy"));
    ReceivedSpan legacyServer = only(spans, server("/legacy"));

    assertThat(spans).extracting(ReceivedSpan::traceId).containsOnly(helloClient.traceId());
    assertThat(helloClient.parentSpanId()).isEmpty();
    assertThat(helloServer.parentSpanId()).isEqualTo(helloClient.spanId());
    assertThat(downstreamClient.parentSpanId()).isEqualTo(helloServer.spanId());
    assertThat(downstreamServer.parentSpanId()).isEqualTo(downstreamClient.spanId());
    assertThat(legacyClient.parentSpanId()).isEqualTo(helloServer.spanId());
    assertThat(legacyServer.parentSpanId()).isEqualTo(legacyClient.spanId());
    assertThat(spans).extracting(ReceivedSpan::name).containsOnly("GET");
    assertThat(spans).extracting(ReceivedSpan::statusCode).containsOnly(STATUS_UNSET);

    String port = helloClient.attribute("server.port").toString();
    String javaVersion = result.line("JAVA ");
    assertThat(helloClient.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "http.request.method", "GET",
        "url.full", "http://127.0.0.1:" + port + "/hello?q=1",
        "server.address", "127.0.0.1",
        "server.port", Long.parseLong(port),
        "http.response.status_code", 200L,
        "network.protocol.version", "1.1"));
    assertThat(helloServer.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "http.request.method", "GET",
        "url.scheme", "http",
        "url.path", "/hello",
        "url.query", "q=1",
        "server.address", "127.0.0.1",
        "server.port", Long.parseLong(port),
        "network.protocol.version", "1.1",
        "user_agent.original", "Java-http-client/" + javaVersion,
        "http.response.status_code", 200L));
    assertThat(legacyClient.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "http.request.method", "GET",
        "url.full", "http://127.0.0.1:" + port + "/legacy",
        "server.address", "127.0.0.1",
        "server.port", Long.parseLong(port),
        "http.response.status_code", 200L,
        "network.protocol.version", "1.1"));
    assertThat(legacyServer.attributes()).contains(
        entry("url.path", "/legacy"), entry("user_agent.original", "Java/" + javaVersion));
    assertThat(downstreamServer.attributes()).contains(entry("url.path", "/downstream"))
        .doesNotContainKey("url.query");

    assertThat(helloServer.resource()).contains(
        entry("service.name", "hello-app"),
        entry("deployment.environment.name", "test"),
        entry("team", "core"),
        entry("telemetry.distro.name", "tracelight"),
        entry("telemetry.distro.version", "0.1.0-SNAPSHOT"),
        entry("telemetry.sdk.language", "java"),
        entry("process.pid", result.pid()))
        .containsKeys("host.name", "host.arch", "os.type", "process.runtime.version");
    assertThat(UUID.fromString((String) helloServer.resource().get("service.instance.id")).version())
        .isEqualTo(4);

    // what the downstream handlers received: the context of the client span that called them, sampled
    assertThat(traceparent(result.line("DOWNSTREAM ")))
        .matches("00-" + downstreamClient.traceId() + "-" + downstreamClient.spanId() + "-0[13]");
    assertThat(traceparent(result.line("LEGACY ")))
        .matches("00-" + legacyClient.traceId() + "-" + legacyClient.spanId() + "-0[13]");
  }

  static String traceparent(String echoed) {
    return headers(echoed).get("traceparent");
  }

  /** The trace headers a handler echoed: {@code name=value} pairs separated by spaces. */
  static Map<String, String> headers(String echoed) {
    Map<String, String> headers = new java.util.LinkedHashMap<>();
    for (String pair : echoed.split(" ")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        headers.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return headers;
  }

  static Predicate<ReceivedSpan> clientTo(String pathAndQuery) {
    return span -> span.kind() == SpanKind.SPAN_KIND_CLIENT
        && String.valueOf(span.attribute("url.full")).endsWith(pathAndQuery);
  }

  static Predicate<ReceivedSpan> server(String path) {
    return span -> span.kind() == SpanKind.SPAN_KIND_SERVER && path.equals(span.attribute("url.path"));
  }

  static ReceivedSpan only(List<ReceivedSpan> spans, Predicate<ReceivedSpan> filter) {
    List<ReceivedSpan> matching = spans.stream().filter(filter).toList();
    assertThat(matching).as("exactly one matching span among %s", spans).hasSize(1);
    return matching.get(0);
  }
}
