package dev.tracelight.injector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelight.injector.instrumentation.Instrumentation;
import dev.tracelight.injector.instrumentation.InstrumentationCheck;
import dev.tracelight.injector.manifest.InstrumentationFile;
import dev.tracelight.injector.manifest.ManifestDocuments;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code kubectl kustomize deploy/} renders, and what it renders is what the webhook needs and no more. */
class DeployManifestsTest {

  private static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
  /** Everything deploy/ installs (other parts, e.g. collector-lite/, join it over time). */
  private static List<ObjectNode> everything;
  /** The injector's part alone. */
  private static List<ObjectNode> rendered;

  @BeforeAll
  static void render() throws Exception {
    Assumptions.assumeTrue(kubectlAvailable(), "kubectl is not installed: skipping the check of `kubectl kustomize "
        + "deploy/` (install it, e.g. apt-get install kubectl, to run this test)");
    everything = kustomize(DEPLOY);
    rendered = kustomize(DEPLOY.resolve("injector"));
  }

  private static List<ObjectNode> kustomize(Path directory) throws Exception {
    Path errors = Files.createTempFile("kustomize", ".err");
    // stderr apart: newer kustomize versions print deprecation notes there.
    Process process = new ProcessBuilder("kubectl", "kustomize", directory.toString())
        .redirectError(errors.toFile()).start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(Files.readString(errors)).isZero();
      return ManifestDocuments.read("kubectl kustomize " + directory, output);
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(errors);
    }
  }

  @Test
  void deployIncludesTheInjector() {
    assertThat(everything).containsAll(rendered);
  }

  @Test
  void everyWorkloadInDeployPassesTheRestrictedPodSecurityStandard() {
    List<ObjectNode> workloads = everything.stream().filter(d -> d.at("/spec/template/spec").isObject()).toList();
    assertThat(workloads).isNotEmpty();
    for (ObjectNode workload : workloads) {
      assertThat(RestrictedProfile.violations(workload.at("/spec/template/spec")))
          .as(workload.path("kind").asString() + " " + workload.at("/metadata/name").asString()).isEmpty();
    }
  }

  @Test
  void rendersEveryPartOfTheInjector() {
    assertThat(rendered).extracting(d -> d.path("kind").asString() + "/" + d.at("/metadata/name").asString())
        .containsExactlyInAnyOrder(
            "Namespace/tracelight",
            "CustomResourceDefinition/instrumentations.opentelemetry.io",
            "ServiceAccount/tracelight-injector",
            "ClusterRole/tracelight-injector",
            "ClusterRoleBinding/tracelight-injector",
            "Role/tracelight-injector",
            "RoleBinding/tracelight-injector",
            "Deployment/tracelight-injector",
            "Service/tracelight-injector",
            "PodDisruptionBudget/tracelight-injector",
            "MutatingWebhookConfiguration/tracelight-injector");
  }

  @Test
  void configuresTheWebhookToNeverBlockPodsAndToSkipKubeSystemAndItself() {
    JsonNode webhooks = one("MutatingWebhookConfiguration").path("webhooks");
    assertThat(webhooks.size()).isEqualTo(1);
    JsonNode webhook = webhooks.get(0);
    assertThat(webhook.path("failurePolicy").asString()).isEqualTo("Ignore");
    assertThat(webhook.path("sideEffects").asString()).isEqualTo("None");
    assertThat(strings(webhook.path("admissionReviewVersions"))).containsExactly("v1");
    assertThat(webhook.path("rules").size()).isEqualTo(1);
    JsonNode rule = webhook.path("rules").get(0);
    assertThat(strings(rule.path("operations"))).containsExactly("CREATE");
    assertThat(strings(rule.path("resources"))).containsExactly("pods");
    assertThat(strings(rule.path("apiGroups"))).containsExactly("");
    assertThat(webhook.at("/clientConfig/service/name").asString()).isEqualTo("tracelight-injector");
    assertThat(webhook.at("/clientConfig/service/namespace").asString()).isEqualTo("tracelight");
    assertThat(webhook.at("/clientConfig/service/path").asString()).isEqualTo("/mutate-v1-pod");
    JsonNode expression = webhook.at("/namespaceSelector/matchExpressions/0");
    assertThat(expression.path("key").asString()).isEqualTo("kubernetes.io/metadata.name");
    assertThat(expression.path("operator").asString()).isEqualTo("NotIn");
    assertThat(strings(expression.path("values"))).containsExactlyInAnyOrder("kube-system", "tracelight");
  }

  @Test
  void runsTwoNonRootReplicasWithProbesUnderTheRestrictedStandard() {
    JsonNode deployment = one("Deployment");
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
    JsonNode pod = deployment.at("/spec/template/spec");
    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.at("/securityContext/seccompProfile/type").asString()).isEqualTo("RuntimeDefault");
    assertThat(pod.has("hostNetwork") || pod.has("hostPID") || pod.has("hostIPC")).isFalse();
    assertThat(pod.path("volumes").findValues("hostPath")).isEmpty();
    JsonNode container = pod.at("/containers/0");
    assertThat(pod.path("containers").size()).isEqualTo(1);
    assertThat(strings(container.path("args")).get(0)).isEqualTo("serve");
    assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
    assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(strings(container.at("/securityContext/capabilities/drop"))).containsExactly("ALL");
    assertThat(container.at("/readinessProbe/httpGet/path").asString()).isEqualTo("/readyz");
    assertThat(container.at("/readinessProbe/httpGet/scheme").asString()).isEqualTo("HTTPS");
    assertThat(container.at("/livenessProbe/httpGet/path").asString()).isEqualTo("/healthz");
    assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(9443);
    assertThat(one("Service").at("/spec/ports/0/targetPort").asString())
        .isEqualTo(container.at("/ports/0/name").asString());
  }

  @Test
  void grantsExactlyTheCallsTheWebhookMakes() {
    assertThat(rules(one("ClusterRole"))).isEqualTo(Map.of(
        "opentelemetry.io/instrumentations", "list,watch",
        "/namespaces", "list,watch",
        "apps/replicasets", "get",
        "batch/jobs", "get",
        "/events", "create",
        "admissionregistration.k8s.io/mutatingwebhookconfigurations[tracelight-injector]", "get,patch"));
    assertThat(rules(one("Role"))).isEqualTo(Map.of(
        "/secrets", "create",
        "/secrets[tracelight-injector-tls]", "get,update"));
    assertThat(one("ClusterRoleBinding").at("/subjects/0/name").asString()).isEqualTo("tracelight-injector");
    assertThat(one("Deployment").at("/spec/template/spec/serviceAccountName").asString())
        .isEqualTo("tracelight-injector");
  }

  @Test
  void shipsTheOperatorsCrdAndAnExampleThatPassesTheChecks() throws IOException {
    JsonNode crd = one("CustomResourceDefinition");
    assertThat(crd.at("/spec/group").asString()).isEqualTo("opentelemetry.io");
    assertThat(crd.at("/spec/versions/0/name").asString()).isEqualTo("v1alpha1");
    JsonNode spec = crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties");
    assertThat(spec.propertyNames()).contains("exporter", "propagators", "sampler", "env", "resource", "defaults",
        "java", "nodejs", "python");
    assertThat(strings(spec.at("/propagators/items/enum"))).containsExactlyInAnyOrderElementsOf(
        List.of("tracecontext", "baggage", "b3", "b3multi", "jaeger", "xray", "ottrace", "none"));

    Path example = DEPLOY.resolve("examples/instrumentation.yaml");
    List<Instrumentation> instrumentations = InstrumentationFile.read(example.toString(), Files.readString(example));
    assertThat(instrumentations).singleElement()
        .satisfies(i -> assertThat(InstrumentationCheck.problems(i)).isEmpty());
  }

  private static ObjectNode one(String kind) {
    List<ObjectNode> matching = rendered.stream().filter(d -> d.path("kind").asString().equals(kind)).toList();
    assertThat(matching).as(kind).hasSize(1);
    return matching.get(0);
  }

  /** "group/resource[names]" → "verb,verb" (sorted), one entry per rule. */
  private static Map<String, String> rules(JsonNode role) {
    Map<String, String> rules = new TreeMap<>();
    for (JsonNode rule : role.path("rules")) {
      for (String group : strings(rule.path("apiGroups"))) {
        for (String resource : strings(rule.path("resources"))) {
          List<String> names = strings(rule.path("resourceNames"));
          String key = group + "/" + resource + (names.isEmpty() ? "" : names.toString().replace(" ", ""));
          rules.put(key, String.join(",", strings(rule.path("verbs")).stream().sorted().toList()));
        }
      }
    }
    return rules;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asString()));
    return values;
  }

  private static boolean kubectlAvailable() {
    try {
      Process process = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      boolean done = process.waitFor(30, TimeUnit.SECONDS);
      process.destroyForcibly();
      return done && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
