package dev.tracelight.injector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.zjsonpatch.JsonPatch;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The shaded jar, run as users run it: {@code java -jar injector-webhook.jar inject|serve}. */
class InjectorJarIT {

  private static final Path JAR = Path.of(System.getProperty("injector.jar", "target/injector-webhook.jar"));
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String INSTRUMENTATION = """
      apiVersion: opentelemetry.io/v1alpha1
      kind: Instrumentation
      metadata: {name: my-instrumentation, namespace: xxx}
      spec:
        exporter: {endpoint: "http://otelcol-collector.xxx.svc.cluster.local:4317"}
        propagators: [tracecontext, baggage, b3]
        sampler: {type: parentbased_traceidratio, argument: "1"}
      """;

  @TempDir
  Path dir;

  @Test
  void injectsAManifestWithTheJar() throws Exception {
    Path app = Files.writeString(dir.resolve("app.yaml"), """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: test, namespace: xxx}
        spec:
          template:
            metadata: {annotations: {instrumentation.opentelemetry.io/inject-java: "true"}}
            spec: {containers: [{name: test, image: "test:1.0"}]}
        """);
    Path instrumentation = Files.writeString(dir.resolve("inst.yaml"), INSTRUMENTATION);
    Process process = new ProcessBuilder(java(), "-jar", JAR.toString(), "inject", "-f", app.toString(),
        "--instrumentation", instrumentation.toString(), "-o", "json").redirectError(dir.resolve("err.txt").toFile())
        .start();
    try {
      JsonNode out = JSON.readTree(process.getInputStream());
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isZero();
      assertThat(out.at("/spec/template/spec/initContainers/0/name").asString())
          .isEqualTo("opentelemetry-auto-instrumentation-java");
      assertThat(out.at("/spec/template/spec/containers/0/env").toString())
          .contains("{\"name\":\"OTEL_EXPORTER_OTLP_PROTOCOL\",\"value\":\"grpc\"}");
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void servesAdmissionReviewsOverHttpsFromTheJar() throws Exception {
    Path instrumentation = Files.writeString(dir.resolve("inst.yaml"), INSTRUMENTATION);
    Path ca = dir.resolve("ca.pem");
    Process process = new ProcessBuilder(java(), "-jar", JAR.toString(), "serve", "--self-signed", "--ca-out",
        ca.toString(), "--port", "0", "--bind", "127.0.0.1", "--instrumentation", instrumentation.toString())
        .redirectErrorStream(true).start();
    try {
      int port = listeningPort(process);
      HttpClient client = HttpClient.newBuilder().sslContext(AdmissionRoundTripTest.trusting(ca)).build();
      String pod = """
          {"apiVersion":"v1","kind":"Pod","metadata":{"name":"test-0",
           "annotations":{"instrumentation.opentelemetry.io/inject-java":"true"}},
           "spec":{"containers":[{"name":"test","image":"test:1.0"}]}}""";
      String review = """
          {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"jar-1",
           "kind":{"group":"","version":"v1","kind":"Pod"},"operation":"CREATE","namespace":"xxx","object":%s}}"""
          .formatted(pod);

      HttpResponse<String> answer = client.send(HttpRequest.newBuilder(
              URI.create("https://127.0.0.1:" + port + "/mutate-v1-pod")).POST(HttpRequest.BodyPublishers
              .ofString(review)).build(), HttpResponse.BodyHandlers.ofString());

      JsonNode response = JSON.readTree(answer.body()).path("response");
      assertThat(response.path("uid").asString()).isEqualTo("jar-1");
      JsonNode patched = JsonPatch.apply(JSON.readTree(Base64.getDecoder().decode(response.path("patch")
          .asString())), JSON.readTree(pod));
      assertThat(patched.at("/spec/containers/0/env").toString())
          .contains("{\"name\":\"OTEL_SERVICE_NAME\",\"value\":\"test-0\"}");
    } finally {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** Reads the process's output until it says where it listens. */
  private static int listeningPort(Process process) throws Exception {
    BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8));
    Pattern listening = Pattern.compile("listening on https://[^:]+:(\\d+)/");
    List<String> seen = new ArrayList<>();
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      Matcher matcher = listening.matcher(line);
      if (matcher.find()) {
        Thread drain = new Thread(() -> reader.lines().forEach(l -> { }), "drain");
        drain.setDaemon(true);
        drain.start();
        return Integer.parseInt(matcher.group(1));
      }
      seen.add(line);
    }
    throw new AssertionError("serve exited without listening: " + seen);
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
