package dev.tracelight.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contracts between deploy/collector-lite, samples/k8s and the images: names, ports, probes, heap, config. Pod
 * Security: the injector's DeployManifestsTest checks every workload rendered from deploy/ (this DaemonSet included)
 * against the restricted profile; InjectedPodIT runs these specs.
 */
class ManifestsIT {
  private static final Path ROOT = Path.of(System.getProperty("tracelight.root", "..")).toAbsolutePath().normalize();
  private static final Path COLLECTOR = ROOT.resolve("deploy/collector-lite");
  private static final YAMLMapper YAML = new YAMLMapper();

  @Test
  void bothCollectorConfigsAreValidForCollectorLite() throws Exception {
    for (Path config : List.of(COLLECTOR.resolve("base/config.yaml"), COLLECTOR.resolve("jaeger/config.yaml"))) {
      Process validate = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
          ROOT.resolve("collector-lite/target/collector-lite.jar").toString(), "--config", config.toString(),
          "--validate").redirectErrorStream(true).start();
      String output = new String(validate.getInputStream().readAllBytes());
      assertThat(validate.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(validate.exitValue()).as(output).isZero();
      assertThat(output).contains(config + ": valid (3 pipelines");
    }
  }

  @Test
  void jaegerOverlaySendsTracesToJaegersOtlpPort() throws IOException {
    JsonNode config = YAML.readTree(COLLECTOR.resolve("jaeger/config.yaml").toFile());

    assertThat(config.at("/exporters/otlp~1jaeger/endpoint").asText())
        .isEqualTo("jaeger-collector.observability.svc.cluster.local:4317");
    assertThat(config.at("/service/pipelines/traces/exporters").toString()).contains("\"otlp/jaeger\"");
  }

  @Test
  void serviceIsNodeLocalOnTheOtlpPortsOfTheDaemonSet() throws IOException {
    JsonNode service = YAML.readTree(COLLECTOR.resolve("base/service.yaml").toFile());
    JsonNode daemonSet = YAML.readTree(COLLECTOR.resolve("base/daemonset.yaml").toFile());
    Map<String, Integer> containerPorts = new HashMap<>();
    daemonSet.at("/spec/template/spec/containers/0/ports")
        .forEach(p -> containerPorts.put(p.path("name").asText(), p.path("containerPort").asInt()));

    assertThat(service.at("/metadata/name").asText()).isEqualTo("otelcol-collector");
    assertThat(service.at("/metadata/namespace").asText()).isEqualTo("tracelight");
    assertThat(service.at("/spec/internalTrafficPolicy").asText()).isEqualTo("Local");
    Map<Integer, Integer> ports = new HashMap<>();
    service.at("/spec/ports").forEach(p -> ports.put(p.path("port").asInt(),
        containerPorts.get(p.path("targetPort").asText())));
    assertThat(ports).containsExactlyInAnyOrderEntriesOf(Map.of(4317, 4317, 4318, 4318));
    service.at("/spec/selector").fields().forEachRemaining(label -> assertThat(
        daemonSet.at("/spec/template/metadata/labels").path(label.getKey()).asText())
        .isEqualTo(label.getValue().asText()));
  }

  @Test
  void daemonSetSizesTheHeapFromItsLimitAndProbesTheHealthCheck() throws IOException {
    JsonNode pod = YAML.readTree(COLLECTOR.resolve("base/daemonset.yaml").toFile()).at("/spec/template/spec");
    JsonNode container = pod.at("/containers/0");
    JsonNode config = YAML.readTree(COLLECTOR.resolve("base/config.yaml").toFile());
    int healthPort = Integer.parseInt(config.at("/extensions/health_check/endpoint").asText().replaceAll(".*:", ""));

    assertThat(container.at("/resources/limits/memory").asText()).isEqualTo("512Mi");
    assertThat(container.at("/resources/requests/memory").asText()).isEqualTo("512Mi");
    assertThat(container.path("command").toString()).contains("-XX:MaxRAMPercentage=50");
    for (String probe : List.of("readinessProbe", "livenessProbe")) {
      assertThat(container.at("/" + probe + "/httpGet/path").asText()).isEqualTo("/");
      String port = container.at("/" + probe + "/httpGet/port").asText();
      assertThat(container.path("ports").findParents("name").stream()
          .filter(p -> p.path("name").asText().equals(port)).findFirst().orElseThrow().path("containerPort").asInt())
          .isEqualTo(healthPort);
    }
    assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(container.path("args").toString()).contains("/etc/otelcol/config.yaml");
  }

  @Test
  void samplesInstrumentationPointsAtTheCollectorServiceOverOtlpHttp() throws IOException {
    JsonNode instrumentation = YAML.readTree(ROOT.resolve("samples/k8s/instrumentation.yaml").toFile());
    JsonNode service = YAML.readTree(COLLECTOR.resolve("base/service.yaml").toFile());

    assertThat(instrumentation.at("/spec/exporter/endpoint").asText()).isEqualTo("http://"
        + service.at("/metadata/name").asText() + "." + service.at("/metadata/namespace").asText()
        + ".svc.cluster.local:4318");
    assertThat(instrumentation.at("/spec/propagators").toString()).isEqualTo("[\"tracecontext\",\"baggage\",\"b3\"]");
    assertThat(instrumentation.at("/spec/sampler/type").asText()).isEqualTo("parentbased_traceidratio");
    assertThat(instrumentation.at("/spec/sampler/argument").asText()).isEqualTo("1");
    assertThat(instrumentation.at("/spec/java/image").asText())
        .isEqualTo("tracelight/init-image:" + System.getProperty("tracelight.version", "0.1.0-SNAPSHOT"));
  }

  @Test
  void kustomizeRendersEachDaemonSetWithItsGeneratedConfigMap() throws Exception {
    assumeTrue(kubectl(), "skipped: needs kubectl for `kubectl kustomize` (apt-get install kubernetes-client)");
    for (Path directory : List.of(ROOT.resolve("deploy"), COLLECTOR.resolve("base"), COLLECTOR.resolve("jaeger"))) {
      List<JsonNode> documents = kustomize(directory);
      JsonNode configMap = only(documents, "ConfigMap", "otelcol-config-");
      JsonNode daemonSet = only(documents, "DaemonSet", "otelcol-collector");
      only(documents, "Service", "otelcol-collector");

      assertThat(daemonSet.at("/spec/template/spec/volumes").findValuesAsText("name"))
          .as(directory.toString()).contains(configMap.at("/metadata/name").asText());
      assertThat(configMap.at("/data/config.yaml").asText()).contains("health_check");
      assertThat(configMap.at("/data/config.yaml").asText().contains("otlp/jaeger"))
          .as(directory + ": the Jaeger exporter only in the overlay").isEqualTo(directory.endsWith("jaeger"));
    }
  }

  @Test
  void kustomizeRendersTheSamplesWithConsistentPorts() throws Exception {
    assumeTrue(kubectl(), "skipped: needs kubectl for `kubectl kustomize` (apt-get install kubernetes-client)");
    List<JsonNode> documents = kustomize(ROOT.resolve("samples/k8s"));
    Map<String, Integer> expected = Map.of("test", 8000, "test1", 8001, "redis", 6379);

    for (Map.Entry<String, Integer> sample : expected.entrySet()) {
      JsonNode deployment = only(documents, "Deployment", sample.getKey());
      JsonNode service = only(documents, "Service", sample.getKey());
      JsonNode port = deployment.at("/spec/template/spec/containers/0/ports/0");
      assertThat(port.path("containerPort").asInt()).isEqualTo(sample.getValue());
      assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(sample.getValue());
      assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo(port.path("name").asText());
      assertThat(service.at("/spec/selector/app").asText())
          .isEqualTo(deployment.at("/spec/template/metadata/labels/app").asText());
    }
    for (String traced : List.of("test", "test1")) {
      assertThat(only(documents, "Deployment", traced)
          .at("/spec/template/metadata/annotations/instrumentation.opentelemetry.io~1inject-java").asText())
          .isEqualTo("true");
    }
  }

  private static JsonNode only(List<JsonNode> documents, String kind, String namePrefix) {
    List<JsonNode> found = documents.stream().filter(d -> d.path("kind").asText().equals(kind))
        .filter(d -> d.at("/metadata/name").asText().startsWith(namePrefix)
            && (namePrefix.endsWith("-") || d.at("/metadata/name").asText().equals(namePrefix)))
        .toList();
    assertThat(found).as("%s %s", kind, namePrefix).hasSize(1);
    return found.get(0);
  }

  private static List<JsonNode> kustomize(Path directory) throws Exception {
    Path out = Files.createTempFile("kustomize", ".yaml");
    try {
      // stderr apart: newer kustomize prints deprecation notes there (e.g. for `bases`).
      Process process = new ProcessBuilder("kubectl", "kustomize", directory.toString())
          .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as("kubectl kustomize " + directory).isZero();
      List<JsonNode> documents = new ArrayList<>(YAML.readerFor(JsonNode.class)
          .<JsonNode>readValues(out.toFile()).readAll());
      documents.removeIf(JsonNode::isNull);
      return documents;
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static boolean kubectl() {
    try {
      Process process = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
