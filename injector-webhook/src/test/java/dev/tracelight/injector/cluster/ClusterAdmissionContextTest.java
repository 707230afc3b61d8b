package dev.tracelight.injector.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tracelight.injector.instrumentation.Instrumentation;
import dev.tracelight.injector.manifest.InstrumentationFile;
import dev.tracelight.injector.mutation.Owners;
import dev.tracelight.injector.mutation.PodInjection;
import dev.tracelight.injector.mutation.PodPatch;
import dev.tracelight.injector.webhook.PodAdmission;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.zjsonpatch.JsonPatch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The informer path, against fabric8's Kubernetes mock server in CRUD mode. */
@EnableKubernetesMockClient(crud = true)
class ClusterAdmissionContextTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  KubernetesMockServer server;
  KubernetesClient client;
  private ClusterAdmissionContext context;

  @BeforeEach
  void seedTheCluster() {
    server.expectCustomResource(CustomResourceDefinitionContext.fromCustomResourceType(Instrumentation.class));
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("xxx")
        .addToAnnotations("instrumentation.opentelemetry.io/inject-java", "my-instrumentation").endMetadata()
        .build()).create();
    client.resources(Instrumentation.class).inNamespace("xxx").resource(instrumentation("my-instrumentation"))
        .create();
    client.apps().replicaSets().inNamespace("xxx").resource(new ReplicaSetBuilder().withNewMetadata()
        .withName("test-5d8f9b7c4").withNamespace("xxx").addNewOwnerReference().withApiVersion("apps/v1")
        .withKind("Deployment").withName("front").withUid("d1").withController(true).endOwnerReference()
        .endMetadata().build()).create();
    client.batch().v1().jobs().inNamespace("xxx").resource(new JobBuilder().withNewMetadata()
        .withName("nightly-29000000").withNamespace("xxx").addNewOwnerReference().withApiVersion("batch/v1")
        .withKind("CronJob").withName("nightly").withUid("c1").withController(true).endOwnerReference()
        .endMetadata().build()).create();
    context = ClusterAdmissionContext.start(client, Duration.ofSeconds(2));
    await().atMost(Duration.ofSeconds(20)).until(context::ready);
  }

  @AfterEach
  void stopInformers() {
    context.close();
  }

  @Test
  void injectsAPodWhoseNamespaceAsksForItWithTheDeploymentNameFromTheApi() {
    PodAdmission admission = PodAdmission.create(PodInjection.create("init:1"), context);
    Pod pod = podOwnedBy("ReplicaSet", "test-5d8f9b7c4");

    JsonNode response = answer(admission, pod);

    JsonNode patch = JSON.readTree(Base64.getDecoder().decode(response.path("patch").asString()));
    JsonNode patched = JsonPatch.apply(patch, PodPatch.toJson(pod));
    assertThat(env(patched, "OTEL_SERVICE_NAME")).isEqualTo("front");
    assertThat(env(patched, "OTEL_RESOURCE_ATTRIBUTES")).contains("k8s.deployment.name=front",
        "k8s.replicaset.name=test-5d8f9b7c4");
  }

  @Test
  void findsTheCronJobOfAJob() {
    Owners owners = context.owners(podOwnedBy("Job", "nightly-29000000"), "xxx");

    assertThat(owners.job()).isEqualTo("nightly-29000000");
    assertThat(owners.cronJob()).isEqualTo("nightly");
  }

  @Test
  void fallsBackToThePodTemplateHashWhenTheReplicaSetCannotBeRead() {
    Pod pod = new PodBuilder(podOwnedBy("ReplicaSet", "gone-7c9d")).editMetadata()
        .addToLabels("pod-template-hash", "7c9d").endMetadata().build();

    Owners owners = context.owners(pod, "xxx");

    assertThat(owners.deployment()).isEqualTo("gone");
  }

  @Test
  void seesInstrumentationsCreatedAfterStart() {
    client.resources(Instrumentation.class).inNamespace("obs").resource(instrumentation("shared")).create();

    await().atMost(Duration.ofSeconds(20)).until(() -> context.instrumentations().all().size() == 2);
    assertThat(context.instrumentations().select("obs", "shared").instrumentation().getSpec().exporter().endpoint())
        .isEqualTo("http://otelcol-collector.xxx.svc.cluster.local:4318");
  }

  @Test
  void recordsAnEventOnTheControllerOfAPodThatCannotBeInjected() {
    PodAdmission admission = PodAdmission.create(PodInjection.create("init:1"), context);
    Pod pod = new PodBuilder(podOwnedBy("ReplicaSet", "test-5d8f9b7c4")).editMetadata()
        .addToAnnotations("instrumentation.opentelemetry.io/inject-java", "obs/missing").endMetadata().build();

    JsonNode response = answer(admission, pod);

    assertThat(response.has("patch")).isFalse();
    assertThat(response.path("warnings").get(0).asString())
        .isEqualTo("tracelight: not injected: Instrumentation obs/missing not found");
    await().atMost(Duration.ofSeconds(20)).until(() -> !client.v1().events().inNamespace("xxx").list().getItems()
        .isEmpty());
    Event event = client.v1().events().inNamespace("xxx").list().getItems().get(0);
    assertThat(event.getType()).isEqualTo("Warning");
    assertThat(event.getReason()).isEqualTo("InstrumentationNotInjected");
    assertThat(event.getInvolvedObject().getKind()).isEqualTo("ReplicaSet");
    assertThat(event.getInvolvedObject().getName()).isEqualTo("test-5d8f9b7c4");
    assertThat(event.getMessage()).isEqualTo("tracelight: not injected: Instrumentation obs/missing not found");
  }

  @Test
  void recordsAnEventForAnAnnotatedPodTheModelCannotRead() {
    PodAdmission admission = PodAdmission.create(PodInjection.create("init:1"), context);
    ObjectNode pod = (ObjectNode) PodPatch.toJson(podOwnedBy("ReplicaSet", "test-5d8f9b7c4"));
    ((ObjectNode) pod.path("metadata")).putObject("annotations")
        .put("instrumentation.opentelemetry.io/inject-java", "true");
    ((ObjectNode) pod.path("spec")).put("containers", "not a list");

    JsonNode response = answer(admission, pod);

    assertThat(response.has("patch")).isFalse();
    assertThat(response.path("warnings").get(0).asString())
        .startsWith("tracelight: not injected: the pod does not match the Kubernetes schema");
    await().atMost(Duration.ofSeconds(20)).until(() -> !client.v1().events().inNamespace("xxx").list().getItems()
        .isEmpty());
    Event event = client.v1().events().inNamespace("xxx").list().getItems().get(0);
    assertThat(event.getReason()).isEqualTo("InstrumentationNotInjected");
    assertThat(event.getInvolvedObject().getKind()).isEqualTo("ReplicaSet");
    assertThat(event.getMessage()).isEqualTo(response.path("warnings").get(0).asString());
  }

  private static JsonNode answer(PodAdmission admission, Pod pod) {
    return answer(admission, PodPatch.toJson(pod));
  }

  private static JsonNode answer(PodAdmission admission, JsonNode pod) {
    ObjectNode review = JSON.createObjectNode();
    ObjectNode request = review.putObject("request");
    request.put("uid", "u");
    request.putObject("kind").put("kind", "Pod");
    request.put("operation", "CREATE");
    request.put("namespace", "xxx");
    request.set("object", pod);
    PodAdmission.Answer answer = admission.review(review.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(answer.status()).isEqualTo(200);
    JsonNode response = JSON.readTree(answer.body()).path("response");
    assertThat(response.path("allowed").asBoolean()).isTrue();
    return response;
  }

  private static Pod podOwnedBy(String kind, String name) {
    return new PodBuilder().withNewMetadata().withGenerateName(name + "-").withNamespace("xxx")
        .addNewOwnerReference().withApiVersion("apps/v1").withKind(kind).withName(name).withController(true)
        .endOwnerReference().endMetadata()
        .withNewSpec().addNewContainer().withName("test").withImage("test:1.0").endContainer().endSpec().build();
  }

  private static Instrumentation instrumentation(String name) {
    return InstrumentationFile.read("i.yaml", """
        apiVersion: opentelemetry.io/v1alpha1
        kind: Instrumentation
        metadata: {name: %s}
        spec:
          exporter: {endpoint: "http://otelcol-collector.xxx.svc.cluster.local:4318"}
        """.formatted(name)).get(0);
  }

  private static String env(JsonNode pod, String name) {
    for (JsonNode env : pod.at("/spec/containers/0/env")) {
      if (env.path("name").asString().equals(name)) {
        return env.path("value").asString();
      }
    }
    return null;
  }
}
