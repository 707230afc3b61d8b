package dev.tracelight.agent.it;

import static dev.tracelight.agent.it.JdkHttpTracingIT.only;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The /fanout handler calls /downstream from a scheduled executor, a ForkJoinPool, CompletableFuture async stages and
 * (Java 21+) a virtual thread: every call must be a child of the handler's SERVER span.
 */
class ContextPropagationIT {

  @Test
  void tasksOnSchedulersForkJoinPoolsAndCompletableFuturesJoinTheRequestTrace() throws Exception {
    assertFanout(Path.of(System.getProperty("java.home")), List.of("scheduled", "forkjoin", "completable"));
  }

  @Test
  void virtualThreadsJoinTheRequestTraceOnJava25() throws Exception {
    assumeTrue(Files.isDirectory(ForkedApp.TEMURIN_25), "Temurin 25 not installed at " + ForkedApp.TEMURIN_25);
    assertFanout(ForkedApp.TEMURIN_25, List.of("scheduled", "forkjoin", "completable", "virtual"));
  }

  private static void assertFanout(Path javaHome, List<String> vias) throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = ForkedApp.helloApp("fanout").javaHome(javaHome).exportingTo(receiver).run();
      assertThat(result.line("STATUS ")).isEqualTo("200");
      List<ReceivedSpan> spans = receiver.spans();
      ReceivedSpan fanout = only(spans, JdkHttpTracingIT.server("/fanout"));
      List<String> parentsOfDownstreamCalls = new ArrayList<>();
      for (String via : vias) {
        ReceivedSpan client = only(spans, JdkHttpTracingIT.clientTo("/downstream?via=" + via));
        ReceivedSpan server = only(spans, span -> span.kind() == SpanKind.SPAN_KIND_SERVER
            && ("via=" + via).equals(span.attribute("url.query")));
        assertThat(server.parentSpanId()).isEqualTo(client.spanId());
        parentsOfDownstreamCalls.add(via + "<-" + client.parentSpanId());
      }
      assertThat(parentsOfDownstreamCalls)
          .containsExactlyElementsOf(vias.stream().map(via -> via + "<-" + fanout.spanId()).toList());
      assertThat(spans).extracting(ReceivedSpan::traceId).containsOnly(fanout.traceId());
      assertThat(spans).hasSize(2 + 2 * vias.size());
    }
  }
}
