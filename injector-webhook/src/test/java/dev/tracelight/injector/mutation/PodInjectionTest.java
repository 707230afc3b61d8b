package dev.tracelight.injector.mutation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tracelight.injector.instrumentation.InstrumentationCatalog;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PodInjectionTest {

  @Test
  void injectsTheReferenceWorkloadLikeTheOperatorInItsOrder() {
    InjectionOutcome outcome = ReferenceWorkload.inject(ReferenceWorkload.pod().build());

    assertThat(outcome.status()).isEqualTo(InjectionOutcome.Status.INJECTED);
    assertThat(outcome.warnings()).isEmpty();
    Container test = outcome.pod().getSpec().getContainers().get(0);
    assertThat(test.getEnv()).extracting(EnvVar::getName).containsExactly(
        "OTEL_NODE_IP", "OTEL_POD_IP", "REDIS_SERVER", "USER_SERVICE", "JAVA_TOOL_OPTIONS", "OTEL_SERVICE_NAME",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_RESOURCE_ATTRIBUTES_POD_NAME",
        "OTEL_RESOURCE_ATTRIBUTES_NODE_NAME", "OTEL_PROPAGATORS", "OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG",
        "OTEL_RESOURCE_ATTRIBUTES");
    Map<String, String> values = values(test);
    assertThat(values).containsEntry("REDIS_SERVER", "redis:6379")
        .containsEntry("USER_SERVICE", "http://test1:8001")
        .containsEntry("JAVA_TOOL_OPTIONS", "-javaagent:/otel-auto-instrumentation-java/javaagent.jar")
        .containsEntry("OTEL_SERVICE_NAME", "test")
        .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otelcol-collector.xxx.svc.cluster.local:4318")
        .containsEntry("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
        .containsEntry("OTEL_PROPAGATORS", "tracecontext,baggage,b3")
        .containsEntry("OTEL_TRACES_SAMPLER", "parentbased_traceidratio")
        .containsEntry("OTEL_TRACES_SAMPLER_ARG", "1")
        .containsEntry("OTEL_RESOURCE_ATTRIBUTES", "k8s.container.name=test,k8s.deployment.name=test,"
            + "k8s.namespace.name=xxx,k8s.node.name=$(OTEL_RESOURCE_ATTRIBUTES_NODE_NAME),"
            + "k8s.pod.name=$(OTEL_RESOURCE_ATTRIBUTES_POD_NAME),k8s.replicaset.name=test-5d8f9b7c4,"
            + "service.instance.id=xxx.$(OTEL_RESOURCE_ATTRIBUTES_POD_NAME).test,service.namespace=xxx,"
            + "service.version=1.0");
    assertThat(test.getEnv()).filteredOn(e -> e.getValueFrom() != null)
        .extracting(EnvVar::getName, e -> e.getValueFrom().getFieldRef().getFieldPath())
        .containsExactly(tuple("OTEL_NODE_IP", "status.hostIP"), tuple("OTEL_POD_IP", "status.podIP"),
            tuple("OTEL_RESOURCE_ATTRIBUTES_POD_NAME", "metadata.name"),
            tuple("OTEL_RESOURCE_ATTRIBUTES_NODE_NAME", "spec.nodeName"));
    assertThat(test.getVolumeMounts()).singleElement()
        .satisfies(m -> assertThat(m.getName() + ":" + m.getMountPath())
            .isEqualTo("opentelemetry-auto-instrumentation-java:/otel-auto-instrumentation-java"));
  }

  @Test
  void addsTheInitContainerAndEmptyDirWithTheOperatorsDefaults() {
    Pod pod = ReferenceWorkload.pod().editSpec().editFirstContainer()
        .withSecurityContext(new SecurityContextBuilder().withRunAsNonRoot(true).withRunAsUser(1000L).build())
        .endContainer().endSpec().build();

    Pod injected = ReferenceWorkload.inject(pod).pod();

    Container init = injected.getSpec().getInitContainers().get(0);
    assertThat(init.getName()).isEqualTo("opentelemetry-auto-instrumentation-java");
    assertThat(init.getImage()).isEqualTo("tracelight/init-image:0.1.0");
    assertThat(init.getCommand())
        .containsExactly("cp", "/javaagent.jar", "/otel-auto-instrumentation-java/javaagent.jar");
    assertThat(init.getResources().getLimits())
        .isEqualTo(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("256Mi")));
    assertThat(init.getResources().getRequests())
        .isEqualTo(Map.of("cpu", new Quantity("50m"), "memory", new Quantity("64Mi")));
    assertThat(init.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
    assertThat(init.getVolumeMounts()).extracting(m -> m.getMountPath())
        .containsExactly("/otel-auto-instrumentation-java");
    assertThat(injected.getSpec().getVolumes()).singleElement().satisfies(v -> {
      assertThat(v.getName()).isEqualTo("opentelemetry-auto-instrumentation-java");
      assertThat(v.getEmptyDir().getSizeLimit()).isEqualTo(new Quantity("200Mi"));
    });
  }

  @Test
  void takesInitImageVolumeSizeResourcesAndSecurityContextFromTheInstrumentation() {
    InstrumentationCatalog catalog = InstrumentationCatalog.of(List.of(ReferenceWorkload.instrumentation("""
        apiVersion: opentelemetry.io/v1alpha1
        kind: Instrumentation
        metadata: {name: custom, namespace: xxx}
        spec:
          exporter: {endpoint: "http://otelcol:4317"}
          imagePullPolicy: IfNotPresent
          initContainerSecurityContext: {runAsUser: 2000}
          java:
            image: my/agent:2
            volumeLimitSize: 300Mi
            resources: {limits: {cpu: "1"}}
        """)));
    Pod pod = ReferenceWorkload.pod().build();

    Pod injected = ReferenceWorkload.INJECTION.inject(pod, null, Owners.fromPod(pod), catalog).pod();

    Container init = injected.getSpec().getInitContainers().get(0);
    assertThat(init.getImage()).isEqualTo("my/agent:2");
    assertThat(init.getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(init.getSecurityContext().getRunAsUser()).isEqualTo(2000L);
    assertThat(init.getResources().getLimits()).isEqualTo(Map.of("cpu", new Quantity("1")));
    assertThat(injected.getSpec().getVolumes().get(0).getEmptyDir().getSizeLimit())
        .isEqualTo(new Quantity("300Mi"));
    assertThat(values(injected.getSpec().getContainers().get(0)))
        .containsEntry("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
        .doesNotContainKeys("OTEL_PROPAGATORS", "OTEL_TRACES_SAMPLER");
  }

  @Test
  void injectingTwiceChangesNothing() {
    Pod once = ReferenceWorkload.inject(ReferenceWorkload.pod().build()).pod();

    InjectionOutcome twice = ReferenceWorkload.inject(once);

    assertThat(twice.status()).isEqualTo(InjectionOutcome.Status.ALREADY_INJECTED);
    assertThat(twice.pod()).isEqualTo(once);
    assertThat(PodPatch.between(once, twice.pod())).isEmpty();
  }

  @Test
  void leavesPodsInjectedByTheOperatorAlone() {
    Pod byOperator = ReferenceWorkload.pod().editSpec().editFirstContainer()
        .addNewEnv().withName("OTEL_RESOURCE_ATTRIBUTES_NODE_NAME").withNewValueFrom().withNewFieldRef()
        .withFieldPath("spec.nodeName").endFieldRef().endValueFrom().endEnv().endContainer().endSpec().build();

    assertThat(ReferenceWorkload.inject(byOperator).status()).isEqualTo(InjectionOutcome.Status.ALREADY_INJECTED);
  }

  @Test
  void leavesAPodWithoutTheAnnotationUnchanged() {
    Pod pod = ReferenceWorkload.pod().editMetadata().withAnnotations(Map.of()).endMetadata().build();

    InjectionOutcome outcome = ReferenceWorkload.inject(pod);

    assertThat(outcome.status()).isEqualTo(InjectionOutcome.Status.NOT_REQUESTED);
    assertThat(outcome.pod()).isSameAs(pod);
  }

  @Test
  void doesNotChangeTheInputPod() {
    Pod pod = ReferenceWorkload.pod().build();
    Pod copy = ReferenceWorkload.pod().build();

    ReferenceWorkload.inject(pod);

    assertThat(pod).isEqualTo(copy);
  }

  @Test
  void injectsEveryContainerNamedInTheAnnotationWithOneInitContainer() {
    Pod pod = ReferenceWorkload.pod()
        .editMetadata().addToAnnotations(Annotations.CONTAINER_NAMES, "test, worker").endMetadata()
        .editSpec().addNewContainer().withName("worker").withImage("w:2").endContainer()
        .addNewContainer().withName("other").withImage("o:3").endContainer().endSpec().build();

    Pod injected = ReferenceWorkload.inject(pod).pod();

    assertThat(injected.getSpec().getInitContainers()).hasSize(1);
    assertThat(injected.getSpec().getContainers()).extracting(Container::getName, c -> values(c)
            .get("JAVA_TOOL_OPTIONS"))
        .containsExactly(tuple("test", PodInjection.JAVAAGENT), tuple("worker", PodInjection.JAVAAGENT),
            tuple("other", null));
    assertThat(values(injected.getSpec().getContainers().get(1)).get("OTEL_RESOURCE_ATTRIBUTES"))
        .contains("k8s.container.name=worker", "service.instance.id=xxx.$(OTEL_RESOURCE_ATTRIBUTES_POD_NAME).worker",
            "service.version=2");
  }

  @Test
  void refusesAPodThatNamesAMissingContainerAndSaysWhich() {
    Pod pod = ReferenceWorkload.pod()
        .editMetadata().addToAnnotations(Annotations.JAVA_CONTAINER_NAMES, "app").endMetadata().build();

    InjectionOutcome outcome = ReferenceWorkload.inject(pod);

    assertThat(outcome.status()).isEqualTo(InjectionOutcome.Status.REFUSED);
    assertThat(outcome.pod()).isSameAs(pod);
    assertThat(outcome.warnings()).containsExactly("tracelight: not injected: "
        + "instrumentation.opentelemetry.io/java-container-names: no container named \"app\" (the pod has test)");
  }

  @Test
  void refusesWhenNoInstrumentationIsFound() {
    Pod pod = ReferenceWorkload.pod().editMetadata().withNamespace("other").endMetadata().build();

    InjectionOutcome outcome = ReferenceWorkload.inject(pod);

    assertThat(outcome.status()).isEqualTo(InjectionOutcome.Status.REFUSED);
    assertThat(outcome.warnings()).singleElement().asString().contains("no Instrumentation in namespace other");
  }

  @Test
  void usesAVolumeClaimTemplateWhenTheInstrumentationGivesOne() {
    InstrumentationCatalog catalog = InstrumentationCatalog.of(List.of(ReferenceWorkload.instrumentation("""
        apiVersion: opentelemetry.io/v1alpha1
        kind: Instrumentation
        metadata: {name: claim, namespace: xxx}
        spec:
          java:
            volumeClaimTemplate:
              spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
        """)));
    Pod pod = ReferenceWorkload.pod().build();

    Pod injected = ReferenceWorkload.INJECTION.inject(pod, null, Owners.fromPod(pod), catalog).pod();

    assertThat(injected.getSpec().getVolumes().get(0).getEmptyDir()).isNull();
    assertThat(injected.getSpec().getVolumes().get(0).getEphemeral().getVolumeClaimTemplate().getSpec()
        .getResources().getRequests()).containsEntry("storage", new Quantity("1Gi"));
    assertThat(injected.getSpec().getInitContainers().get(0).getImage()).isEqualTo("tracelight/init-image:default");
  }

  @Test
  void mountsTheExporterTlsSecretAndPointsTheAgentAtIt() {
    InstrumentationCatalog catalog = InstrumentationCatalog.of(List.of(ReferenceWorkload.instrumentation("""
        apiVersion: opentelemetry.io/v1alpha1
        kind: Instrumentation
        metadata: {name: tls, namespace: xxx}
        spec:
          exporter:
            endpoint: https://otelcol:4317
            tls: {secretName: otel-tls, ca_file: ca.crt, cert_file: tls.crt, key_file: /etc/key.pem}
        """)));
    Pod pod = ReferenceWorkload.pod().build();

    Pod injected = ReferenceWorkload.INJECTION.inject(pod, null, Owners.fromPod(pod), catalog).pod();

    assertThat(values(injected.getSpec().getContainers().get(0)))
        .containsEntry("OTEL_EXPORTER_OTLP_CERTIFICATE", "/otel-auto-instrumentation-secret-otel-tls/ca.crt")
        .containsEntry("OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE", "/otel-auto-instrumentation-secret-otel-tls/tls.crt")
        .containsEntry("OTEL_EXPORTER_OTLP_CLIENT_KEY", "/etc/key.pem");
    assertThat(injected.getSpec().getVolumes()).extracting(v -> v.getName())
        .containsExactly("opentelemetry-auto-instrumentation-java", "otel-auto-secret-otel-tls");
    assertThat(injected.getSpec().getContainers().get(0).getVolumeMounts()).extracting(m -> m.getMountPath())
        .containsExactly("/otel-auto-instrumentation-java", "/otel-auto-instrumentation-secret-otel-tls");
  }

  @Test
  void namesAStaticPodAfterItselfRatherThanItsNode() {
    Pod mirror = ReferenceWorkload.pod().editMetadata().withName("etcd-node1").withOwnerReferences(List.of())
        .addNewOwnerReference().withApiVersion("v1").withKind("Node").withName("node1").withController(true)
        .endOwnerReference().endMetadata().build();

    Pod injected = ReferenceWorkload.inject(mirror).pod();

    assertThat(values(injected.getSpec().getContainers().get(0))).containsEntry("OTEL_SERVICE_NAME", "etcd-node1");
  }

  static Map<String, String> values(Container container) {
    return container.getEnv().stream().filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }
}
