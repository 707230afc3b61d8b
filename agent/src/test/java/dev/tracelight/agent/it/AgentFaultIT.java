package dev.tracelight.agent.it;

import static dev.tracelight.agent.it.JdkHttpTracingIT.clientTo;
import static dev.tracelight.agent.it.JdkHttpTracingIT.only;
import static dev.tracelight.agent.it.JdkHttpTracingIT.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Faults around the application (issue 10, agent): a collector that pushes back or answers garbage, libraries that
 * throw inside instrumented code, a flood of spans with nowhere to send them, pooled threads reused across requests,
 * and secrets in requests. Runs {@code it.faults.FaultApp}. (A collector that is down, hangs or answers 503 is
 * {@link NeverHurtTheAppIT}.)
 */
class AgentFaultIT {
  private static final String APP = "dev.tracelight.agent.it.faults.FaultApp";
  private static final int STATUS_ERROR = 2;
  private static final long MIB = 1024 * 1024;

  @ParameterizedTest(name = "collector answers {0}")
  @CsvSource({
      "'429 with Retry-After', 429, ''",
      "'200 with a body that is not protobuf', 200, '<html>surprise</html>'",
      "'400 with a body that is not a Status', 400, '\u0000\u00ff\u0007garbage'"})
  void collectorPushingBackOrAnsweringGarbageLeavesEveryResponseIntactAndCostsAtMostOneLine(String fault,
      int status, String body) throws Exception {
    AtomicInteger exports = new AtomicInteger();
    HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext("/", exchange -> {
      exports.incrementAndGet();
      exchange.getRequestBody().readAllBytes();
      byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
      exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
      if (status == 429) {
        exchange.getResponseHeaders().add("Retry-After", "1");
      }
      exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    collector.start();
    try {
      ForkedApp.Result result = steadyApp("http://127.0.0.1:" + collector.getAddress().getPort()).run();

      assertThat(result.exitCode()).isZero();
      assertThat(result.line("ANSWERED ")).isEqualTo("50/50");
      assertThat(exports.get()).as("several exports met the fault").isGreaterThan(1);
      assertThat(result.agentLogLines()).as("at most one quiet line for one cause: %s", result.stderr())
          .hasSizeLessThanOrEqualTo(1)
          .allSatisfy(line -> assertThat(line).startsWith("[tracelight] WARN "));
      assertThat(result.stderr()).doesNotContain("SEVERE").doesNotContain("\tat ");
    } finally {
      collector.stop(0);
    }
  }

  @Test
  void collectorAnsweringBytesThatAreNotHttpLeavesEveryResponseIntactAndCostsAtMostOneLine() throws Exception {
    AtomicInteger exports = new AtomicInteger();
    try (ServerSocket collector = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread answering = new Thread(() -> {
        while (!collector.isClosed()) {
          try (Socket socket = collector.accept()) {
            exports.incrementAndGet();
            byte[] junk = "\u0016\u0003\u0001 not http at all\r\n\r\n".getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(junk);
          } catch (IOException closed) {
            return;
          }
        }
      });
      answering.setDaemon(true);
      answering.start();
      ForkedApp.Result result = steadyApp("http://127.0.0.1:" + collector.getLocalPort()).run();

      assertThat(result.exitCode()).isZero();
      assertThat(result.line("ANSWERED ")).isEqualTo("50/50");
      assertThat(exports.get()).as("several exports met the fault").isGreaterThan(1);
      assertThat(result.agentLogLines()).as("at most one quiet line for one cause: %s", result.stderr())
          .hasSizeLessThanOrEqualTo(1)
          .allSatisfy(line -> assertThat(line).startsWith("[tracelight] WARN "));
      assertThat(result.stderr()).doesNotContain("SEVERE").doesNotContain("\tat ");
    }
  }

  @Test
  void exceptionsThrownInsideInstrumentedCodeReachTheAppUnchangedAndAreRecordedOnTheirSpans() throws Exception {
    int closedPort = JdkHttpTracingIT.closedPort();
    ForkedApp.Result untraced = ForkedApp.testMain(APP, List.of(), "throws", String.valueOf(closedPort))
        .withoutAgent().run();
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result traced = ForkedApp.testMain(APP, List.of(), "throws", String.valueOf(closedPort))
          .exportingTo(receiver).run();

      List<String> expected = outcomes(untraced);
      assertThat(expected).hasSize(6).allSatisfy(line -> assertThat(line).doesNotContain(" returned "));
      assertThat(expected).anySatisfy(line -> assertThat(line).startsWith("OUTCOME client-send-refused ")
          .contains("java.net.ConnectException"));
      assertThat(outcomes(traced)).containsExactlyElementsOf(expected);
      assertThat(traced.agentLogLines()).isEmpty();

      List<ReceivedSpan> spans = receiver.spans();
      ReceivedSpan boomClient = only(spans, clientTo("/boom"));
      // HttpClient retries a GET once when the connection closes without an answer: the handler runs twice
      long handlerRuns = traced.stdout().lines().filter(line -> line.startsWith("THREAD /boom ")).count();
      assertThat(handlerRuns).isEqualTo(untraced.stdout().lines().filter(l -> l.startsWith("THREAD /boom ")).count());
      assertThat(spans.stream().filter(server("/boom"))).hasSize((int) handlerRuns).allSatisfy(boomServer -> {
        assertThat(boomServer.parentSpanId()).isEqualTo(boomClient.spanId());
        assertThat(boomServer.statusCode()).isEqualTo(STATUS_ERROR);
        assertThat(boomServer.attributes()).contains(entry("error.type", "java.lang.IllegalStateException"));
      });
      assertThat(boomClient.statusCode()).isEqualTo(STATUS_ERROR);
      assertThat(boomClient.attributes()).containsKey("error.type").doesNotContainKey("http.response.status_code");
      List<ReceivedSpan> refused = spans.stream().filter(clientTo(":" + closedPort + "/nothing")).toList();
      assertThat(refused).hasSize(2).allSatisfy(span -> {
        assertThat(span.statusCode()).isEqualTo(STATUS_ERROR);
        assertThat(span.attributes()).contains(entry("error.type", "java.net.ConnectException"));
      });
    }
  }

  @Test
  void floodOfSpansWithTheCollectorDownKeepsTheHeapBoundedByTheQueueAndTheAppAnswering() throws Exception {
    int spans = 200_000;
    ForkedApp.Result result = ForkedApp.testMain(APP, ForkedLibraries.matching("/com/h2database/h2/"),
            "flood", String.valueOf(spans))
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + JdkHttpTracingIT.closedPort())
        .env("OTEL_METRICS_EXPORTER", "none")
        .env("OTEL_LOGS_EXPORTER", "none")
        .env("OTEL_BSP_MAX_QUEUE_SIZE", "2048")
        .run();

    assertThat(result.exitCode()).isZero();
    assertThat(result.line("FLOOD ")).isEqualTo("200 queries=" + spans + " sum=" + (long) spans * (spans + 1) / 2);
    assertThat(result.line("AFTER ")).isEqualTo("200 echo after=flood");
    long growth = Long.parseLong(result.line("HEAP_AFTER ")) - Long.parseLong(result.line("HEAP_BEFORE "));
    // Kept, 200,000 spans of this shape would need well over 100 MiB; 2,048 queued spans are a few MiB.
    assertThat(growth).as("heap after GC grew by %d bytes", growth).isLessThan(16 * MIB);
    assertThat(result.agentLogLines()).hasSizeLessThanOrEqualTo(1);
  }

  @Test
  void pooledThreadsReusedAfterARequestCarryNoContextIntoTheNextOneOrIntoIdleTasks() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = ForkedApp.testMain(APP, List.of(), "reuse").exportingTo(receiver)
          // main's requests untraced on the client side, so every server span is a trace root
          .env("OTEL_INSTRUMENTATION_JAVA_HTTP_CLIENT_ENABLED", "false")
          .run();

      assertThat(result.exitCode()).isZero();
      assertThat(result.line("WORK ")).isEqualTo("down");
      assertThat(result.line("BOOM ")).startsWith("java.io.IOException");
      assertThat(result.line("PLAIN ")).isEqualTo("plain");
      assertThat(result.line("IDLE ")).isEqualTo("down");
      String thread = result.line("THREAD /work ");
      assertThat(result.line("THREAD /boom ")).as("one pooled thread handled every request").isEqualTo(thread);
      assertThat(result.line("THREAD /plain ")).isEqualTo(thread);

      List<ReceivedSpan> spans = receiver.spans();
      long boomRuns = result.stdout().lines().filter(line -> line.startsWith("THREAD /boom ")).count();
      assertThat(spans).hasSize(6 + (int) boomRuns);
      ReceivedSpan work = only(spans, server("/work"));
      ReceivedSpan workClient = only(spans, clientTo("/downstream?via=request"));
      List<ReceivedSpan> booms = spans.stream().filter(server("/boom")).toList();
      ReceivedSpan plain = only(spans, server("/plain"));
      ReceivedSpan idleClient = only(spans, clientTo("/downstream?via=idle"));
      assertThat(workClient.parentSpanId()).isEqualTo(work.spanId());
      assertThat(workClient.traceId()).isEqualTo(work.traceId());
      List<ReceivedSpan> roots = new java.util.ArrayList<>(List.of(work, plain, idleClient));
      roots.addAll(booms);
      for (ReceivedSpan root : roots) {
        assertThat(root.parentSpanId()).as("%s %s is a root", root.kind(), root.attributes()).isEmpty();
      }
      assertThat(roots).extracting(ReceivedSpan::traceId)
          .as("every request its own trace, none joined to an earlier one")
          .doesNotHaveDuplicates();
      List<ReceivedSpan> downstreamServers = spans.stream().filter(server("/downstream")).toList();
      assertThat(downstreamServers).extracting(ReceivedSpan::parentSpanId)
          .containsExactlyInAnyOrder(workClient.spanId(), idleClient.spanId());
    }
  }

  @Test
  void noHeaderIsCapturedByDefaultAndNoSecretOfTheUrlOrHeadersReachesAnySpan() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = ForkedApp.testMain(APP, List.of(), "secrets").exportingTo(receiver).run();

      assertThat(result.line("SECRETS ")).isEqualTo("200 echo sig=s3cret-sig&x=1");
      List<ReceivedSpan> spans = receiver.spans();
      ReceivedSpan client = only(spans, clientTo("/echo?sig=REDACTED&x=1"));
      assertThat(client.attribute("url.full").toString())
          .matches("http://REDACTED:REDACTED@127\\.0\\.0\\.1:\\d+/echo\\?sig=REDACTED&x=1");
      ReceivedSpan server = only(spans, server("/echo"));
      assertThat(server.parentSpanId()).isEqualTo(client.spanId());
      assertThat(server.attributes()).contains(entry("url.query", "sig=REDACTED&x=1"));
      for (ReceivedSpan span : spans) {
        assertThat(span.attributes().keySet()).noneMatch(key -> key.startsWith("http.request.header.")
            || key.startsWith("http.response.header."));
        assertThat(span.attributes().values()).extracting(String::valueOf)
            .noneMatch(value -> value.contains("s3cret-pass") || value.contains("s3cret-sig")
                || value.contains("s3cret-token") || value.contains("s3cret-cookie") || value.contains("acme"));
      }
      assertThat(result.stderr()).doesNotContain("s3cret");
    }
  }

  /** Five rounds of ten requests, 300 ms apart, exporting every 100 ms: several batches meet the fault. */
  private static ForkedApp steadyApp(String collector) {
    return ForkedApp.testMain(APP, List.of(), "steady", "5")
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", collector)
        .env("OTEL_METRICS_EXPORTER", "none")
        .env("OTEL_LOGS_EXPORTER", "none")
        .env("OTEL_BSP_SCHEDULE_DELAY", "100");
  }

  private static List<String> outcomes(ForkedApp.Result result) {
    return result.stdout().lines().filter(line -> line.startsWith("OUTCOME ")).sorted().toList();
  }
}
