package dev.tracelight.injector.mutation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracelight.injector.instrumentation.Instrumentation;
import dev.tracelight.injector.instrumentation.InstrumentationCatalog;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Table-driven checks of the core against the operator's documented behaviour, on the reference workload. */
class OperatorBehaviourTableTest {

  private static final InstrumentationCatalog TWO_IN_XXX_ONE_IN_OBS = InstrumentationCatalog.of(List.of(
      named("xxx", "java"), named("xxx", "other"), named("obs", "shared")));

  @ParameterizedTest(name = "pod={0} namespace={1} -> {2}")
  @CsvSource(nullValues = "-", value = {
      // pod annotation, namespace annotation, Instrumentation used (or the outcome)
      "true,        -,          REFUSED",      // "true" with two candidates: the pod must name one
      "java,        -,          xxx/java",
      "obs/shared,  -,          obs/shared",
      "false,       java,       NOT_REQUESTED",
      "-,           java,       xxx/java",
      "-,           false,      NOT_REQUESTED",
      "-,           -,          NOT_REQUESTED",
      "true,        other,      xxx/other",    // the pod says true, the namespace names an instance: the namespace wins
      "java,        other,      xxx/java",     // the pod names one: the pod wins
      "TRUE,        obs/shared, obs/shared",
      "true,        true,       REFUSED",
      "java,        false,      xxx/java",
      "a/b/c,       -,          REFUSED",
      "missing,     -,          REFUSED"})
  void followsTheOperatorsAnnotationPrecedence(String pod, String namespace, String expected) {
    Pod input = ReferenceWorkload.pod().editMetadata().withAnnotations(pod == null ? Map.of()
        : Map.of(Annotations.INJECT_JAVA, pod)).endMetadata().build();

    InjectionOutcome outcome = ReferenceWorkload.INJECTION.inject(input, ReferenceWorkload.namespace(namespace),
        Owners.fromPod(input), TWO_IN_XXX_ONE_IN_OBS);

    String actual = outcome.status() == InjectionOutcome.Status.INJECTED
        ? outcome.instrumentation().qualifiedName() : outcome.status().name();
    assertThat(actual).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(nullValues = "-", value = {
      // owners as kind=name pairs, pod name, expected OTEL_SERVICE_NAME
      "ReplicaSet=test-5d8f9b7c4,                   -,         test",         // Deployment from pod-template-hash
      "ReplicaSet=test-5d8f9b7c4 Deployment=front,  -,         front",        // the API said which Deployment
      "ReplicaSet=rs-x Rollout=canary,              -,         canary",       // a ReplicaSet owned by an Argo Rollout
      "ReplicaSet=rs-x,                             -,         rs-x",
      "StatefulSet=db,                              db-0,      db",
      "DaemonSet=agent,                             agent-xk,  agent",
      "Job=nightly-2900 CronJob=nightly,            -,         nightly",
      "Job=once,                                    -,         once",
      "-,                                           my-pod,    my-pod",
      "-,                                           -,         test"})     // the container name, last resort
  void derivesTheServiceNameLikeTheOperator(String owners, String podName, String expected) {
    PodBuilder builder = ReferenceWorkload.pod().editMetadata().withOwnerReferences(List.of()).withName(podName)
        .endMetadata();
    Owners known = Owners.none();
    if (owners != null) {
      for (String pair : owners.split(" ")) {
        String[] kv = pair.split("=");
        known = known.with(kv[0], kv[1]);
      }
    }
    if (owners != null && owners.startsWith("ReplicaSet=test-")) {
      builder.editMetadata().addNewOwnerReference().withKind("ReplicaSet").withName("test-5d8f9b7c4")
          .withController(true).endOwnerReference().endMetadata();
      known = owners.contains("Deployment") ? known : Owners.fromPod(builder.build());
    }

    Pod injected = ReferenceWorkload.INJECTION.inject(builder.build(), null, known, ReferenceWorkload.catalog())
        .pod();

    assertThat(PodInjectionTest.values(injected.getSpec().getContainers().get(0)))
        .containsEntry("OTEL_SERVICE_NAME", expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(nullValues = "-", value = {
      // service.name annotation, useLabels, labels, expected
      "annotated, true,  app.kubernetes.io/instance=inst,  annotated",
      "-,         true,  app.kubernetes.io/instance=inst,  inst",
      "-,         true,  app.kubernetes.io/name=named,     named",
      "-,         false, app.kubernetes.io/name=named,     test"})
  void prefersTheServiceNameAnnotationThenLabelsWhenAsked(String annotation, boolean useLabels, String label,
                                                          String expected) {
    String[] kv = label.split("=");
    PodBuilder builder = ReferenceWorkload.pod().editMetadata().addToLabels(kv[0], kv[1]).endMetadata();
    if (annotation != null) {
      builder.editMetadata().addToAnnotations("resource.opentelemetry.io/service.name", annotation).endMetadata();
    }
    InstrumentationCatalog catalog = InstrumentationCatalog.of(List.of(ReferenceWorkload.instrumentation("""
        apiVersion: opentelemetry.io/v1alpha1
        kind: Instrumentation
        metadata: {name: labels, namespace: xxx}
        spec:
          defaults: {useLabelsForResourceAttributes: %s}
        """.formatted(useLabels))));
    Pod pod = builder.build();

    Pod injected = ReferenceWorkload.INJECTION.inject(pod, null, Owners.fromPod(pod), catalog).pod();

    Map<String, String> values = PodInjectionTest.values(injected.getSpec().getContainers().get(0));
    assertThat(values).containsEntry("OTEL_SERVICE_NAME", expected);
    assertThat(values.get("OTEL_RESOURCE_ATTRIBUTES")).doesNotContain("service.name=");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(nullValues = "-", value = {
      "http://otelcol-collector.xxx.svc.cluster.local:4318, http/protobuf",
      "http://otelcol-collector.xxx.svc.cluster.local:4317, grpc",
      "https://otel.example:4317,                           grpc",
      "https://otel.example/otlp,                           http/protobuf",
      "https://otel.example:443/v1,                         http/protobuf",
      "http://otelcol:9999,                                 -",
      "https://otel.example,                                -"})
  void derivesTheOtlpProtocolFromTheEndpoint(String endpoint, String expected) {
    Pod injected = injectWith("""
        spec:
          exporter: {endpoint: "%s"}
        """.formatted(endpoint), ReferenceWorkload.pod().build());

    assertThat(PodInjectionTest.values(injected.getSpec().getContainers().get(0)).get("OTEL_EXPORTER_OTLP_PROTOCOL"))
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "istio-proxy app,                 app",
      "linkerd-proxy istio-proxy app,   app",
      "app istio-proxy,                 app",
      "vault-agent daprd worker,        worker"})
  void skipsKnownSidecarsWhenChoosingTheDefaultContainer(String containers, String expected) {
    List<Container> list = Arrays.stream(containers.split(" "))
        .map(name -> new ContainerBuilder().withName(name).withImage(name + ":1").build()).toList();
    Pod pod = ReferenceWorkload.pod().editSpec().withContainers(list).endSpec().build();

    Pod injected = ReferenceWorkload.inject(pod).pod();

    assertThat(injected.getSpec().getContainers())
        .filteredOn(c -> c.getEnv() != null && c.getEnv().stream().anyMatch(e -> e.getName()
            .equals("JAVA_TOOL_OPTIONS")))
        .extracting(Container::getName).containsExactly(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // where the variable is set | value that must win
      "container  | from-container",
      "java.env   | from-java-env",
      "spec.env   | from-spec-env"})
  void appliesTheOperatorsEnvPrecedence(String where, String expected) {
    String container = where.equals("container") ? "from-container" : null;
    String javaEnv = where.equals("container") || where.equals("java.env") ? "from-java-env" : null;
    Pod pod = ReferenceWorkload.pod().build();
    if (container != null) {
      pod = ReferenceWorkload.pod().editSpec().editFirstContainer().addNewEnv().withName("OTEL_SERVICE_NAME")
          .withValue(container).endEnv().endContainer().endSpec().build();
    }
    String yaml = """
        spec:
          env: [{name: OTEL_SERVICE_NAME, value: from-spec-env}]
          java:
            env: [%s]
        """.formatted(javaEnv == null ? "" : "{name: OTEL_SERVICE_NAME, value: " + javaEnv + "}");

    Pod injected = injectWith(yaml, pod);

    List<EnvVar> env = injected.getSpec().getContainers().get(0).getEnv();
    assertThat(env).filteredOn(e -> e.getName().equals("OTEL_SERVICE_NAME")).singleElement()
        .extracting(EnvVar::getValue).isEqualTo(expected);
  }

  private static Pod injectWith(String specYaml, Pod pod) {
    Instrumentation instrumentation = ReferenceWorkload.instrumentation("""
        apiVersion: opentelemetry.io/v1alpha1
        kind: Instrumentation
        metadata: {name: t, namespace: xxx}
        """ + specYaml);
    InjectionOutcome outcome = ReferenceWorkload.INJECTION.inject(pod, null, Owners.fromPod(pod),
        InstrumentationCatalog.of(List.of(instrumentation)));
    assertThat(outcome.status()).as(outcome.warnings().toString()).isEqualTo(InjectionOutcome.Status.INJECTED);
    return outcome.pod();
  }

  private static Instrumentation named(String namespace, String name) {
    return ReferenceWorkload.instrumentation(ReferenceWorkload.INSTRUMENTATION_YAML
        .replace("name: my-instrumentation", "name: " + name).replace("namespace: xxx", "namespace: " + namespace));
  }
}
