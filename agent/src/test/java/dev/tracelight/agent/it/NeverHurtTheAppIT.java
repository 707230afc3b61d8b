package dev.tracelight.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad settings, a missing collector and JDK tools: the application always runs, the agent says at most one line. */
class NeverHurtTheAppIT {

  @Test
  void bogusSamplerLogsOneErrorNamingTheVariableAndTheAppRunsUntraced() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      ForkedApp.Result result = JdkHttpTracingIT.helloApp(receiver).env("OTEL_TRACES_SAMPLER", "bogus").run();
      assertThat(result.exitCode()).isZero();
      assertThat(result.line("STATUS ")).isEqualTo("200");
      assertThat(result.line("DOWNSTREAM ")).isEqualTo(JdkHttpTracingIT.NO_TRACE_HEADERS);
      assertThat(result.agentLogLines()).singleElement().asString()
          .startsWith("[tracelight] ERROR invalid setting OTEL_TRACES_SAMPLER=bogus: ")
          .contains("The application runs untraced");
      assertThat(receiver.spans()).isEmpty();
    }
  }

  @Test
  void applicationThatEndsWhileTheSdkIsBuiltExitsAtOnceAndSilently() throws Exception {
    try (OtlpReceiver receiver = OtlpReceiver.httpProtobuf()) {
      // the SDK is built beside the application's start; this one is done before it, and its log record waits for it
      ForkedApp.Result result = ForkedApp.testMain("dev.tracelight.agent.it.app.ShortLivedApp", List.of())
          .exportingTo(receiver).env("OTEL_LOGS_EXPORTER", "otlp").run();
      assertThat(result.exitCode()).isZero();
      assertThat(result.stdout()).isEqualTo("BYE\n");
      assertThat(result.agentLogLines()).isEmpty();
      assertThat(receiver.logs()).isNotEmpty();
    }
  }

  @Test
  void collectorThatIsDownCostsTheAppOneQuietLine() throws Exception {
    int closedPort = JdkHttpTracingIT.closedPort();
    ForkedApp.Result result = ForkedApp.helloApp("hello")
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + closedPort)
        .env("OTEL_BSP_SCHEDULE_DELAY", "100")
        .run();
    assertThat(result.exitCode()).isZero();
    assertThat(result.line("STATUS ")).isEqualTo("200");
    assertThat(result.line("DOWNSTREAM ")).startsWith("traceparent=00-");
    assertThat(result.agentLogLines()).hasSizeLessThanOrEqualTo(1)
        .allSatisfy(line -> assertThat(line).startsWith("[tracelight] WARN ").doesNotContain("\tat "));
    assertThat(result.stderr()).doesNotContain("SEVERE").doesNotContain("Exception\n\tat");
  }

  @ParameterizedTest
  @CsvSource({"hangs, 0", "refuses, 503"})
  void collectorThatHangsOrRefusesCostsTheAppAtMostOneLineAndABoundedExit(String behaviour, int status)
      throws Exception {
    HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger requests = new AtomicInteger();
    collector.setExecutor(Executors.newCachedThreadPool());
    collector.createContext("/", exchange -> {
      requests.incrementAndGet();
      exchange.getRequestBody().readAllBytes();
      try {
        if (status == 0) {
          release.await(); // never answers while the app runs
        }
        exchange.sendResponseHeaders(status == 0 ? 200 : status, -1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        exchange.close();
      }
    });
    collector.start();
    try {
      ForkedApp.Result result = ForkedApp.helloApp("hello")
          .env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + collector.getAddress().getPort())
          .env("OTEL_BSP_SCHEDULE_DELAY", "100")
          .run();
      assertThat(result.exitCode()).isZero();
      assertThat(result.line("STATUS ")).isEqualTo("200");
      assertThat(result.line("DOWNSTREAM ")).startsWith("traceparent=00-");
      assertThat(requests.get()).as("the agent did try to export").isPositive();
      assertThat(result.agentLogLines()).hasSizeLessThanOrEqualTo(1);
      assertThat(result.stderr()).doesNotContain("SEVERE").doesNotContain("\tat ");
    } finally {
      release.countDown();
      collector.stop(0);
      ((java.util.concurrent.ExecutorService) collector.getExecutor()).shutdownNow();
    }
  }

  @ParameterizedTest
  @CsvSource({"jcmd, -l", "jps, -l", "keytool, -help", "jar, --version", "javac, -version"})
  void jdkToolsInheritingJavaToolOptionsDoNotStartTheAgent(String tool, String argument) throws Exception {
    ForkedApp.Result result = ForkedApp.jdkTool(tool, argument)
        .env("JAVA_TOOL_OPTIONS", "-javaagent:" + ForkedApp.AGENT_JAR.toAbsolutePath())
        .env("OTEL_JAVAAGENT_DEBUG", "true")
        .run();
    assertThat(result.stderr()).contains("Picked up JAVA_TOOL_OPTIONS")
        .doesNotContain("[tracelight]")
        .doesNotContain("bootstrap classpath has been appended");
  }

  @Test
  void applicationInheritingJavaToolOptionsDoesStartTheAgent() throws Exception {
    ForkedApp.Result result = ForkedApp.helloApp("hello").withoutAgent()
        .env("JAVA_TOOL_OPTIONS", "-javaagent:" + ForkedApp.AGENT_JAR.toAbsolutePath())
        .env("OTEL_JAVAAGENT_DEBUG", "true")
        .env("OTEL_TRACES_EXPORTER", "console")
        .env("OTEL_METRICS_EXPORTER", "none")
        .env("OTEL_LOGS_EXPORTER", "none")
        .run();
    assertThat(result.agentLogLines()).anySatisfy(line -> assertThat(line).startsWith("[tracelight] INFO tracelight ")
        .contains(" started; instrumentation: java-http-server, java-http-client, http-url-connection, executors"));
    assertThat(result.line("DOWNSTREAM ")).startsWith("traceparent=00-");
  }
}
