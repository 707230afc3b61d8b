package dev.tracelight.injector.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tracelight.injector.instrumentation.Instrumentation;
import dev.tracelight.injector.manifest.InstrumentationFile;
import dev.tracelight.injector.manifest.ManifestDocuments;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The RBAC in deploy/ against the API calls the webhook really makes: {@code serve} runs in cluster mode (informers,
 * owner look-ups, Events, its own CA with a renewal) against the mock API server, every request is recorded, and
 * each must be allowed by the ServiceAccount's rules while each rule must have been needed.
 */
@EnableKubernetesMockClient(crud = true)
class LeastPrivilegeTest {

  private static final Path RBAC = Path.of("..", "deploy", "injector", "rbac.yaml").toAbsolutePath().normalize();

  KubernetesMockServer server;
  KubernetesClient client;

  @TempDir
  Path dir;

  @Test
  void theRolesAllowEveryCallTheWebhookMakesAndNothingItDoesNot() throws Exception {
    seedCluster();
    drain(new ArrayList<>());
    List<String> calls = new ArrayList<>();
    System.setProperty("kubernetes.master", client.getConfiguration().getMasterUrl());
    System.setProperty("kubernetes.trust.certificates", "true");
    System.setProperty("kubernetes.auth.tryKubeConfig", "false");
    System.setProperty("kubernetes.auth.tryServiceAccount", "false");
    try (ServeCommand.Serving serving = ServeCommand.start(List.of("--port", "0", "--bind", "127.0.0.1",
        "--namespace", "tracelight", "--cert-validity", "9s"), new PrintStream(OutputStream.nullOutputStream()))) {
      Path trusted = Files.write(dir.resolve("bundle.pem"), Base64.getDecoder().decode(client.admissionRegistration()
          .v1().mutatingWebhookConfigurations().withName("tracelight-injector").get().getWebhooks().get(0)
          .getClientConfig().getCaBundle()));
      URI base = URI.create("https://127.0.0.1:" + serving.port());
      await().atMost(Duration.ofSeconds(30)).until(() -> status(base.resolve("/readyz"), trusted, null) == 200);

      assertThat(status(base.resolve("/mutate-v1-pod"), trusted, review("ReplicaSet", "test-5d8f9b7c4", "true")))
          .isEqualTo(200);
      assertThat(status(base.resolve("/mutate-v1-pod"), trusted, review("Job", "nightly-1", "true")))
          .isEqualTo(200);
      assertThat(status(base.resolve("/mutate-v1-pod"), trusted, review("ReplicaSet", "test-5d8f9b7c4", "nope")))
          .isEqualTo(200);
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        drain(calls);
        return calls.contains("update /secrets tracelight/tracelight-injector-tls")
            && calls.stream().anyMatch(c -> c.startsWith("create /events xxx/"));
      });
    } finally {
      System.clearProperty("kubernetes.master");
      System.clearProperty("kubernetes.trust.certificates");
      System.clearProperty("kubernetes.auth.tryKubeConfig");
      System.clearProperty("kubernetes.auth.tryServiceAccount");
    }

    List<Rule> rules = rules();
    Set<String> used = new TreeSet<>();
    for (String call : calls) {
      Rule allowing = rules.stream().filter(r -> r.allows(call)).findFirst().orElse(null);
      assertThat(allowing).as("no rule in deploy/injector/rbac.yaml allows: " + call).isNotNull();
      used.add(allowing.id() + " " + call.substring(0, call.indexOf(' ')));
    }
    Set<String> granted = new TreeSet<>();
    rules.forEach(r -> r.verbs().forEach(v -> granted.add(r.id() + " " + v)));
    assertThat(used).as("granted but never used").isEqualTo(granted);
  }

  private void seedCluster() {
    server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(Instrumentation.class));
    client.admissionRegistration().v1().mutatingWebhookConfigurations().resource(
        new MutatingWebhookConfigurationBuilder().withNewMetadata().withName("tracelight-injector").endMetadata()
            .addNewWebhook().withName("java.inject.tracelight.dev").withNewClientConfig().withNewService()
            .withName("tracelight-injector").withNamespace("tracelight").withPath("/mutate-v1-pod").endService()
            .endClientConfig().withAdmissionReviewVersions("v1").withSideEffects("None").endWebhook().build())
        .create();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("xxx").endMetadata().build())
        .create();
    client.resources(Instrumentation.class).inNamespace("xxx").resource(InstrumentationFile.read("i", """
        apiVersion: opentelemetry.io/v1alpha1
        kind: Instrumentation
        metadata: {name: java}
        spec: {exporter: {endpoint: "http://otelcol:4318"}}
        """).get(0)).create();
    client.apps().replicaSets().inNamespace("xxx").resource(new ReplicaSetBuilder().withNewMetadata()
        .withName("test-5d8f9b7c4").addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment")
        .withName("test").withUid("d").withController(true).endOwnerReference().endMetadata().build()).create();
    client.batch().v1().jobs().inNamespace("xxx").resource(new JobBuilder().withNewMetadata().withName("nightly-1")
        .addNewOwnerReference().withApiVersion("batch/v1").withKind("CronJob").withName("nightly").withUid("c")
        .withController(true).endOwnerReference().endMetadata().build()).create();
  }

  /** Moves the recorded requests into {@code calls} as "verb /group/resource namespace/name". */
  private void drain(List<String> calls) throws InterruptedException {
    for (RecordedRequest request = server.takeRequest(50, TimeUnit.MILLISECONDS); request != null;
         request = server.takeRequest(50, TimeUnit.MILLISECONDS)) {
      calls.add(call(request.getMethod(), request.getPath()));
    }
  }

  static String call(String method, String pathAndQuery) {
    String path = pathAndQuery.contains("?") ? pathAndQuery.substring(0, pathAndQuery.indexOf('?')) : pathAndQuery;
    String query = pathAndQuery.contains("?") ? pathAndQuery.substring(pathAndQuery.indexOf('?') + 1) : "";
    String[] parts = path.substring(1).split("/");
    String group = parts[0].equals("api") ? "" : parts[1];
    int i = parts[0].equals("api") ? 2 : 3;
    String namespace = "";
    if (parts.length > i + 2 && parts[i].equals("namespaces")) {
      namespace = parts[i + 1];
      i += 2;
    }
    String resource = parts[i];
    String name = parts.length > i + 1 ? parts[i + 1] : "";
    String verb = switch (method) {
      case "GET" -> !name.isEmpty() ? "get" : query.contains("watch=true") ? "watch" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> method;
    };
    return verb + " " + group + "/" + resource + " " + namespace + "/" + name;
  }

  /** One RBAC rule: "group/resource[names]" in a namespace ("" for a ClusterRole), with its verbs. */
  record Rule(String namespace, String group, String resource, List<String> names, List<String> verbs) {

    String id() {
      return (namespace.isEmpty() ? "" : namespace + ":") + group + "/" + resource + (names.isEmpty() ? ""
          : names.toString());
    }

    boolean allows(String call) {
      String[] parts = call.split(" ");
      String[] target = parts[2].split("/", -1);
      return verbs.contains(parts[0]) && parts[1].equals(group + "/" + resource)
          && (namespace.isEmpty() || namespace.equals(target[0]))
          && (names.isEmpty() || names.contains(target[1]));
    }
  }

  private static List<Rule> rules() throws Exception {
    List<Rule> rules = new ArrayList<>();
    for (ObjectNode document : ManifestDocuments.read(RBAC.toString(), Files.readString(RBAC))) {
      String kind = document.path("kind").asString();
      if (!kind.equals("ClusterRole") && !kind.equals("Role")) {
        continue;
      }
      String namespace = kind.equals("Role") ? document.at("/metadata/namespace").asString() : "";
      for (JsonNode rule : document.path("rules")) {
        for (String group : strings(rule.path("apiGroups"))) {
          for (String resource : strings(rule.path("resources"))) {
            rules.add(new Rule(namespace, group, resource, strings(rule.path("resourceNames")),
                strings(rule.path("verbs"))));
          }
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

  private static String review(String ownerKind, String ownerName, String injectJava) {
    return """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","namespace":"xxx",
         "kind":{"group":"","version":"v1","kind":"Pod"},"operation":"CREATE","object":{"apiVersion":"v1",
         "kind":"Pod","metadata":{"generateName":"%2$s-","namespace":"xxx",
         "annotations":{"instrumentation.opentelemetry.io/inject-java":"%3$s"},
         "ownerReferences":[{"apiVersion":"v1","kind":"%1$s","name":"%2$s","uid":"x","controller":true}]},
         "spec":{"containers":[{"name":"app","image":"app:1"}]}}}}""".formatted(ownerKind, ownerName, injectJava);
  }

  /** One HTTPS request checked as the API server checks the webhook: chain from the caBundle, the Service's name. */
  private static int status(URI uri, Path trusted, String body) throws Exception {
    HttpsURLConnection connection = (HttpsURLConnection) uri.toURL().openConnection();
    connection.setSSLSocketFactory(AdmissionRoundTripTest.trusting(trusted).getSocketFactory());
    connection.setHostnameVerifier((host, session) -> {
      try {
        return ((X509Certificate) session.getPeerCertificates()[0]).getSubjectAlternativeNames().stream()
            .anyMatch(n -> "tracelight-injector.tracelight.svc".equals(n.get(1)));
      } catch (Exception e) {
        return false;
      }
    });
    try {
      if (body != null) {
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
      }
      int status = connection.getResponseCode();
      connection.getInputStream().readAllBytes();
      return status;
    } catch (java.io.IOException e) {
      return -1;
    } finally {
      connection.disconnect();
    }
  }
}
